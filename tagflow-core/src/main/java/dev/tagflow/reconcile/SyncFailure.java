package dev.tagflow.reconcile;

import dev.tagflow.apply.ChangeSet;
import dev.tagflow.health.HealthStatus;

/**
 * Why one run of an application's steps stopped, typed by the step that failed, so a controller can
 * retry, alert or roll back by reason rather than by message.
 */
public sealed interface SyncFailure {

  /**
   * The step that failed: {@code source}, {@code render}, {@code diff}, {@code sync}, {@code
   * health}.
   */
  String step();

  /** What went wrong and how to fix it, for a person. */
  String message();

  /** Whether the person's input (the Application, Git's content, a flag) is what must change. */
  default boolean invalidInput() {
    return false;
  }

  /** The revision could not be resolved or fetched (unreachable repository, unknown tag). */
  record SourceFailed(String message, boolean invalidInput) implements SyncFailure {
    @Override
    public String step() {
      return "source";
    }
  }

  /** The manifests at the revision do not render (bad YAML, a Helm template error, no objects). */
  record RenderFailed(String message, boolean invalidInput) implements SyncFailure {
    @Override
    public String step() {
      return "render";
    }
  }

  /**
   * The rendered objects could not be compared with the cluster (the application's inventory or the
   * cluster's kinds could not be read).
   */
  record ComparisonFailed(String message) implements SyncFailure {
    @Override
    public String step() {
      return "diff";
    }
  }

  /** An apply, a hook or a prune failed, or a wave timed out; what was done is in the changes. */
  record SyncFailed(String message, ChangeSet changes) implements SyncFailure {
    @Override
    public String step() {
      return "sync";
    }
  }

  /** The prune circuit breaker stopped the sync before anything changed. */
  record NeedsConfirmation(String message) implements SyncFailure {
    @Override
    public String step() {
      return "sync";
    }
  }

  /** The sync went through, and the application is not healthy (Degraded, Missing or Unknown). */
  record HealthCheckFailed(HealthStatus health) implements SyncFailure {
    @Override
    public String step() {
      return "health";
    }

    @Override
    public String message() {
      return "application is " + health;
    }
  }
}
