package dev.tagflow.reconcile;

import dev.tagflow.apply.ChangeSet;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.FieldDrift;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.sync.SyncStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the controller knows of one application: whether the cluster matches Git and at which
 * revision, its health, the running or last sync, what is wrong, each object, and whether
 * automation may sync it. Immutable; the controller publishes a new one on every change.
 *
 * @param application the application's name
 * @param sync whether the cluster matches Git, and the revision it was compared with
 * @param deployed what the cluster runs: the revision of the last sync that succeeded (or the
 *     revision a comparison found the cluster already matching); empty before the first
 * @param health the application's health: the worst object's, with its message
 * @param operation the running sync, or the last one
 * @param conditions what is wrong (errors) or worth knowing (warnings), each with a typed reason
 * @param objects each desired or owned object: in sync or not, healthy or not, and for drift which
 *     fields and who changed them
 * @param automation what automation may do for it
 * @param reconciledAt when it was last compared with Git and the cluster
 */
public record ApplicationStatus(
    String application,
    Sync sync,
    Optional<Deployed> deployed,
    HealthStatus health,
    Optional<Operation> operation,
    List<Condition> conditions,
    List<ObjectStatus> objects,
    Automation automation,
    Optional<Instant> reconciledAt) {

  public ApplicationStatus {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(deployed, "deployed");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(operation, "operation");
    conditions = List.copyOf(conditions);
    objects = List.copyOf(objects);
    Objects.requireNonNull(automation, "automation");
    Objects.requireNonNull(reconciledAt, "reconciledAt");
  }

  /** An application the controller has not looked at yet. */
  public static ApplicationStatus unknown(String application, Automation automation) {
    return new ApplicationStatus(
        application,
        new Sync(SyncCode.UNKNOWN, Optional.empty()),
        Optional.empty(),
        HealthStatus.unknown("not compared yet"),
        Optional.empty(),
        List.of(),
        List.of(),
        automation,
        Optional.empty());
  }

  /** Whether the cluster matches Git. */
  public boolean isSynced() {
    return sync.status() == SyncCode.SYNCED;
  }

  /** Whether it is Synced and Healthy with no sync running: what {@code dependsOn} waits for. */
  public boolean isReady() {
    return isSynced()
        && health.health() == Health.HEALTHY
        && operation.map(o -> o.phase().isFinal()).orElse(true);
  }

  /** The condition with that reason, if it is set. */
  public Optional<Condition> condition(String reason) {
    return conditions.stream().filter(c -> c.reason().equals(reason)).findFirst();
  }

  /** The status of one object, if the application has it. */
  public Optional<ObjectStatus> object(ObjectRef ref) {
    return objects.stream().filter(o -> o.object().equals(ref)).findFirst();
  }

  public ApplicationStatus withSync(Sync value) {
    return new ApplicationStatus(
        application,
        value,
        deployed,
        health,
        operation,
        conditions,
        objects,
        automation,
        reconciledAt);
  }

  public ApplicationStatus withDeployed(Optional<Deployed> value) {
    return new ApplicationStatus(
        application, sync, value, health, operation, conditions, objects, automation, reconciledAt);
  }

  public ApplicationStatus withHealth(HealthStatus value) {
    return new ApplicationStatus(
        application,
        sync,
        deployed,
        value,
        operation,
        conditions,
        objects,
        automation,
        reconciledAt);
  }

  public ApplicationStatus withOperation(Optional<Operation> value) {
    return new ApplicationStatus(
        application, sync, deployed, health, value, conditions, objects, automation, reconciledAt);
  }

  public ApplicationStatus withConditions(List<Condition> value) {
    return new ApplicationStatus(
        application, sync, deployed, health, operation, value, objects, automation, reconciledAt);
  }

  public ApplicationStatus withObjects(List<ObjectStatus> value) {
    return new ApplicationStatus(
        application,
        sync,
        deployed,
        health,
        operation,
        conditions,
        value,
        automation,
        reconciledAt);
  }

  public ApplicationStatus withAutomation(Automation value) {
    return new ApplicationStatus(
        application, sync, deployed, health, operation, conditions, objects, value, reconciledAt);
  }

  public ApplicationStatus withReconciledAt(Instant value) {
    return new ApplicationStatus(
        application,
        sync,
        deployed,
        health,
        operation,
        conditions,
        objects,
        automation,
        Optional.of(value));
  }

  /** Whether the cluster matches Git, as Argo CD says it. */
  public enum SyncCode {
    SYNCED("Synced"),
    OUT_OF_SYNC("OutOfSync"),
    /** Not compared: Git or the cluster could not be read, or not looked at yet. */
    UNKNOWN("Unknown");

    private final String displayName;

    SyncCode(String displayName) {
      this.displayName = displayName;
    }

    public String displayName() {
      return displayName;
    }

    @Override
    public String toString() {
      return displayName;
    }
  }

  /**
   * A revision of Git.
   *
   * @param requested what the application asks for ({@code main}, {@code v1.2.3}, a range)
   * @param commit the full commit it resolved to
   */
  public record GitRevision(String requested, String commit) {
    public GitRevision {
      Objects.requireNonNull(requested, "requested");
      Objects.requireNonNull(commit, "commit");
    }

    /** {@code main (1a2b3c4d5e6f)}. */
    @Override
    public String toString() {
      return requested + " (" + commit.substring(0, Math.min(12, commit.length())) + ")";
    }
  }

  /**
   * Whether the cluster matches Git.
   *
   * @param status Synced, OutOfSync or Unknown
   * @param revision the revision Git was read at for the comparison
   */
  public record Sync(SyncCode status, Optional<GitRevision> revision) {
    public Sync {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(revision, "revision");
    }
  }

  /**
   * What the cluster runs.
   *
   * @param revision the revision
   * @param renderKey the render key of its manifests: automation syncs when Git's key differs (Git
   *     moved), and heals when the key is the same and the cluster differs (drift)
   * @param historyId the history entry of the sync that deployed it; empty when a comparison found
   *     the cluster already matching
   * @param at when it was deployed (or found matching)
   */
  public record Deployed(
      GitRevision revision, String renderKey, Optional<Long> historyId, Instant at) {
    public Deployed {
      Objects.requireNonNull(revision, "revision");
      Objects.requireNonNull(renderKey, "renderKey");
      Objects.requireNonNull(historyId, "historyId");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * A sync, running or ended.
   *
   * @param historyId its entry in the sync history
   * @param trigger what started it
   * @param revision what it syncs
   * @param phase running, succeeded, failed, or stopped by the prune circuit breaker
   * @param step which step runs ({@code wave 2}, {@code PostSync wave 0}), empty once ended
   * @param message what it waits for, or how it ended
   * @param changes what it applied, ran and deleted so far
   * @param startedAt when it started
   * @param finishedAt when it ended
   */
  public record Operation(
      long historyId,
      SyncTrigger trigger,
      GitRevision revision,
      SyncStatus phase,
      String step,
      String message,
      ChangeSet changes,
      Instant startedAt,
      Optional<Instant> finishedAt) {
    public Operation {
      Objects.requireNonNull(trigger, "trigger");
      Objects.requireNonNull(revision, "revision");
      Objects.requireNonNull(phase, "phase");
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(changes, "changes");
      Objects.requireNonNull(startedAt, "startedAt");
      Objects.requireNonNull(finishedAt, "finishedAt");
    }
  }

  /** Whether a condition is an error or a warning. */
  public enum Severity {
    ERROR,
    WARNING
  }

  /**
   * Something wrong with the application, or worth knowing.
   *
   * @param severity error or warning
   * @param reason a CamelCase word a script can match ({@code SourceFailed}, {@code
   *     DependencyNotReady}, {@code SharedResource})
   * @param message what, and how to fix it
   * @param since when it was first seen (kept while the reason stays)
   */
  public record Condition(Severity severity, String reason, String message, Instant since) {
    public Condition {
      Objects.requireNonNull(severity, "severity");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(since, "since");
    }
  }

  /** How one object compares with Git. */
  public enum ObjectSync {
    SYNCED("Synced"),
    OUT_OF_SYNC("OutOfSync"),
    /** Git has it, the cluster does not. */
    MISSING("Missing"),
    /** The application owns it and Git no longer has it (pruned by the next sync with prune). */
    EXTRA("Extra"),
    /** It could not be compared (the message says why). */
    UNKNOWN("Unknown");

    private final String displayName;

    ObjectSync(String displayName) {
      this.displayName = displayName;
    }

    public String displayName() {
      return displayName;
    }

    @Override
    public String toString() {
      return displayName;
    }
  }

  /**
   * One object of the application.
   *
   * @param object which
   * @param sync how it compares with Git
   * @param health its health, when it is one Git has
   * @param message why it could not be compared, or nothing
   * @param drift the fields that differ and who changed them, for an object that drifted
   */
  public record ObjectStatus(
      ObjectRef object,
      ObjectSync sync,
      Optional<HealthStatus> health,
      String message,
      List<FieldDrift> drift) {
    public ObjectStatus {
      Objects.requireNonNull(object, "object");
      Objects.requireNonNull(sync, "sync");
      Objects.requireNonNull(health, "health");
      Objects.requireNonNull(message, "message");
      drift = List.copyOf(drift);
    }
  }

  /**
   * What automation may do for the application.
   *
   * @param automated the Application asks for automated sync
   * @param selfHeal the Application asks for drift to be healed
   * @param disabled automated sync turned off by a person's rollback, until re-enabled: why and
   *     since when
   * @param blocked revisions automated sync must not apply (set by the rollback policy)
   */
  public record Automation(
      boolean automated,
      boolean selfHeal,
      Optional<Disabled> disabled,
      List<BlockedRevision> blocked) {
    public Automation {
      Objects.requireNonNull(disabled, "disabled");
      blocked = List.copyOf(blocked);
    }

    /** What the Application asks for, nothing turned off, nothing blocked. */
    public static Automation of(boolean automated, boolean selfHeal) {
      return new Automation(automated, selfHeal, Optional.empty(), List.of());
    }

    /** Whether automated sync may run now. */
    public boolean active() {
      return automated && disabled.isEmpty();
    }

    /** Whether the commit is blocked. */
    public boolean isBlocked(String commit) {
      return blocked.stream().anyMatch(b -> b.commit().equals(commit));
    }

    public Automation withPolicy(boolean automated, boolean selfHeal) {
      return new Automation(automated, selfHeal, disabled, blocked);
    }

    public Automation withDisabled(Optional<Disabled> value) {
      return new Automation(automated, selfHeal, value, blocked);
    }

    public Automation withBlocked(List<BlockedRevision> value) {
      return new Automation(automated, selfHeal, disabled, value);
    }
  }

  /**
   * Automated sync turned off.
   *
   * @param reason why ({@code rolled back to #3 by a person})
   * @param since when
   */
  public record Disabled(String reason, Instant since) {
    public Disabled {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(since, "since");
    }
  }

  /**
   * A revision automated sync does not apply.
   *
   * @param commit the full commit id
   * @param reason why ({@code Degraded after sync #7})
   * @param since when it was blocked
   */
  public record BlockedRevision(String commit, String reason, Instant since) {
    public BlockedRevision {
      Objects.requireNonNull(commit, "commit");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(since, "since");
    }
  }
}
