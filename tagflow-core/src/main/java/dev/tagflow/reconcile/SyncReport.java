package dev.tagflow.reconcile;

import dev.tagflow.apply.ChangeSet;
import dev.tagflow.diff.ResourceDiff;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.source.Revision;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of an application's steps found and did: the revision, the differences (for a diff)
 * or the change set (for a sync), the health, or the typed reason it stopped.
 *
 * @param application the application's name
 * @param revision what the target revision resolved to; empty when the source step failed
 * @param diffs per desired (and extra owned) object, how it compares; empty for a sync
 * @param changes everything applied, run and deleted; empty for a diff
 * @param health the application's aggregated health; empty when no step got that far
 * @param failure why the run stopped; empty when every step passed
 */
public record SyncReport(
    String application,
    Optional<Revision> revision,
    List<ResourceDiff> diffs,
    ChangeSet changes,
    Optional<HealthStatus> health,
    Optional<SyncFailure> failure) {

  public SyncReport {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(revision, "revision");
    diffs = List.copyOf(diffs);
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(failure, "failure");
  }

  /** Whether every step passed. */
  public boolean succeeded() {
    return failure.isEmpty();
  }

  /** Whether nothing differs (a diff) or nothing changed (a sync). */
  public boolean inSync() {
    return succeeded() && diffs.stream().noneMatch(ResourceDiff::needsSync) && changes.isNoOp();
  }

  /** {@code main (1a2b3c4d5e6f)}, or {@code ?} before the revision was resolved. */
  public String revisionText() {
    return revision.map(SyncReport::describe).orElse("?");
  }

  static String describe(Revision revision) {
    return revision.requested() + " (" + revision.shortCommit() + ")";
  }
}
