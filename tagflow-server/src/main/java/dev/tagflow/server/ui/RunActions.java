package dev.tagflow.server.ui;

import dev.tagflow.store.RunRecord;
import java.util.Optional;

/**
 * The cancel and re-run buttons of a run as one viewer sees them, and what the last click did.
 *
 * @param csrf the session's CSRF token for the forms (empty for a bearer token)
 * @param canCancel the run is queued or running and the viewer may {@code runs/cancel} it
 * @param canRerun the run ended and the viewer may {@code runs/rerun} it
 * @param available the server's pipeline runs: without it no button is offered
 * @param notice what the last click did or why it was refused, or empty
 * @param refused whether {@code notice} is a refusal
 * @param newRun the run a re-run started
 */
public record RunActions(
    RunRecord run,
    String csrf,
    boolean canCancel,
    boolean canRerun,
    boolean available,
    String notice,
    boolean refused,
    Optional<String> newRun) {

  /** Whether there is anything to show. */
  public boolean any() {
    return !notice.isEmpty() || (available && (canCancel || canRerun));
  }
}
