package dev.tagflow.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A sync operation that was running when last saved.
 *
 * @param application the application's name
 * @param state the operation's saved state as its writer encoded it (the SyncState JSON)
 * @param savedAt when it was saved
 */
public record InFlightOperation(String application, byte[] state, Instant savedAt) {
  public InFlightOperation {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(savedAt, "savedAt");
  }
}
