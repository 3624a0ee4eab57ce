package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.store.BuiltImageStore;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.ReleaseStore;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.file.Path;

/** The store of one data directory, opened for one {@code tagflow runs} verb. */
final class RunsContext implements AutoCloseable {

  private final JdbcStore store;

  RunsContext(Path dataDir, String database) {
    DatabaseUrl url =
        database != null
            ? DatabaseUrl.parse(database, "--database")
            : DatabaseUrl.inDataDir(dataDir);
    this.store = JdbcStore.open(StoreOptions.defaults(url));
  }

  RunStore runs() {
    return store.runs();
  }

  BuiltImageStore images() {
    return store.builtImages();
  }

  ReleaseStore releases() {
    return store.releases();
  }

  /** The run of that id, or a clear error saying how to find one. */
  RunRecord run(String runId) {
    return store
        .runs()
        .get(runId)
        .orElseThrow(
            () ->
                TagflowException.invalidInput(
                    "there is no run "
                        + runId
                        + " in this data directory; tagflow runs list shows the runs"));
  }

  @Override
  public void close() {
    store.close();
  }
}
