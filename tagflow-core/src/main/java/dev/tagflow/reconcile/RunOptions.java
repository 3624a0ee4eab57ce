package dev.tagflow.reconcile;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a person asks of one manual sync on top of what the Application says.
 *
 * @param revision sync this revision instead of the Application's {@code targetRevision} (trying a
 *     tag before promoting it); empty for the Application's
 * @param dryRun say what would change and change nothing
 * @param prune prune even when the Application's policy does not ({@code automated.prune} prunes
 *     anyway), as Argo CD's manual sync offers
 * @param confirmPrune the person accepts a prune above the circuit breaker's share
 * @param waitTimeout how long one wave may wait for health before the sync fails
 */
public record RunOptions(
    Optional<String> revision,
    boolean dryRun,
    boolean prune,
    boolean confirmPrune,
    Duration waitTimeout) {

  public RunOptions {
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(waitTimeout, "waitTimeout");
  }

  /** The Application's revision, for real, pruning only as its policy says, 5 min waits. */
  public static RunOptions defaults() {
    return new RunOptions(Optional.empty(), false, false, false, Duration.ofMinutes(5));
  }

  public RunOptions withRevision(String value) {
    return new RunOptions(Optional.of(value), dryRun, prune, confirmPrune, waitTimeout);
  }

  public RunOptions withDryRun(boolean value) {
    return new RunOptions(revision, value, prune, confirmPrune, waitTimeout);
  }

  public RunOptions withPrune(boolean value) {
    return new RunOptions(revision, dryRun, value, confirmPrune, waitTimeout);
  }

  public RunOptions withConfirmPrune(boolean value) {
    return new RunOptions(revision, dryRun, prune, value, waitTimeout);
  }

  public RunOptions withWaitTimeout(Duration value) {
    return new RunOptions(revision, dryRun, prune, confirmPrune, value);
  }
}
