package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.store.StatusSnapshot;
import dev.tagflow.store.Store;
import java.util.Objects;
import java.util.Optional;

/**
 * The statuses a controller kept in a store, read by a process beside the server (the demo, a test)
 * while it runs; the controller itself reads them through its {@link StatusBoard}.
 */
public final class StoredStatuses {

  private final Store store;
  private final StatusJson json = new StatusJson();

  public StoredStatuses(Store store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * The application's last written status, if the controller wrote one.
   *
   * @throws TagflowException when a newer Tagflow wrote it
   */
  public Optional<ApplicationStatus> get(String application) {
    Optional<StatusSnapshot> snapshot = store.statuses().get(application);
    if (snapshot.isPresent() && snapshot.get().formatVersion() > StatusJson.FORMAT) {
      throw TagflowException.failed(
          "the stored status of '" + application + "' was written by a newer Tagflow");
    }
    return snapshot.map(s -> json.read(s.json()));
  }
}
