package dev.tagflow.sync;

import dev.tagflow.apply.Action;
import dev.tagflow.apply.ApplyOptions;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.apply.ResourceManager;
import dev.tagflow.cluster.ApiResource;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.ServerFields;
import dev.tagflow.diff.Tracking;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs hooks: deletes the previous run's object when asked (BeforeHookCreation), creates the hook
 * (server-side applied, or with a create call when it has generateName), tells whether it completed
 * (a Job's Complete/Failed condition, a Pod's phase; any other kind is done once it exists), and
 * deletes it afterwards as its policy says.
 */
final class HookRunner {

  /** How a hook stands. */
  sealed interface Outcome {
    record Running(String message) implements Outcome {}

    record Succeeded() implements Outcome {}

    record Failed(String message) implements Outcome {}
  }

  private final ClusterGateway cluster;
  private final ResourceManager manager;
  private final ObjectJson json = new ObjectJson();

  HookRunner(ClusterGateway cluster, ResourceManager manager) {
    this.cluster = cluster;
    this.manager = manager;
  }

  /**
   * What starting a hook did: the entries (earlier runs deleted, the hook created or failed), and
   * the name the server generated for a hook with generateName.
   */
  record Started(ChangeSet changes, Optional<String> generatedName) {}

  Started start(SyncTask task, ApplyOptions options) {
    Hook hook = task.hook().orElseThrow();
    if (options.dryRun()) {
      return new Started(
          ChangeSet.empty()
              .plus(
                  new ChangeSetEntry(
                      task.object(),
                      Action.SKIPPED,
                      hook.phase().displayName() + " hook; not run in a dry-run")),
          Optional.empty());
    }
    if (HookNames.generatesName(task.desired().orElseThrow())) {
      return create(task, options);
    }
    ChangeSet changes = ChangeSet.empty();
    if (hook.deletePolicies().contains(HookDeletePolicy.BEFORE_HOOK_CREATION)) {
      try {
        if (cluster.get(task.object()).isPresent()) {
          Optional<ChangeSetEntry> stuck = deleteAndAwait(task.object(), options);
          if (stuck.isPresent()) {
            return new Started(changes.plus(stuck.get()), Optional.empty());
          }
          changes = changes.plus(earlierRunDeleted(task.object()));
        }
      } catch (ClusterException e) {
        return new Started(
            changes.plus(
                ChangeSetEntry.failed(task.object(), "could not delete its earlier run", e)),
            Optional.empty());
      }
    }
    ChangeSetEntry entry = manager.apply(task.desired().orElseThrow(), options);
    return new Started(
        changes.plus(
            entry.action() == Action.FAILED
                ? entry
                : new ChangeSetEntry(
                    entry.object(), entry.action(), hook.phase().displayName() + " hook started")),
        Optional.empty());
  }

  /**
   * Deletes an earlier run and waits until it is gone: applying to an object still being deleted
   * would only patch the dying run, and a new run must not overlap the old one.
   *
   * @return a failed entry when it is still there after the wait timeout
   */
  private Optional<ChangeSetEntry> deleteAndAwait(ObjectRef ref, ApplyOptions options) {
    cluster.delete(ref);
    if (cluster.waitUntilGone(ref, options.waitTimeout())) {
      return Optional.empty();
    }
    return Optional.of(
        new ChangeSetEntry(
            ref,
            Action.FAILED,
            "its earlier run is still being deleted after "
                + options.waitTimeout().toSeconds()
                + " s (BeforeHookCreation); check its finalizers"));
  }

  private static ChangeSetEntry earlierRunDeleted(ObjectRef ref) {
    return new ChangeSetEntry(ref, Action.DELETED, "earlier run; BeforeHookCreation");
  }

  /**
   * Creates a hook that has generateName (a create call: server-side apply needs a name), after
   * deleting the earlier runs of the same hook when its policy is BeforeHookCreation. Earlier runs
   * are found by the tracking marks: the managed-by label and the tracking id, which for such a
   * hook names its identity ({@code <app>:batch/Job:shop/db-migrate-}).
   */
  private Started create(SyncTask task, ApplyOptions options) {
    Hook hook = task.hook().orElseThrow();
    ObjectRef identity = task.object();
    String trackingId = Tracking.trackingId(options.application(), identity);
    ChangeSet changes = ChangeSet.empty();
    try {
      if (hook.deletePolicies().contains(HookDeletePolicy.BEFORE_HOOK_CREATION)) {
        changes = changes.plus(deleteEarlierRuns(identity, trackingId, options));
        if (changes.hasFailures()) {
          return new Started(changes, Optional.empty());
        }
      }
      GenericKubernetesResource created = cluster.create(prepared(task, trackingId));
      String name = created.getMetadata().getName();
      return new Started(
          changes.plus(
              new ChangeSetEntry(
                  withName(identity, name),
                  Action.CREATED,
                  hook.phase().displayName() + " hook started")),
          Optional.of(name));
    } catch (ClusterException e) {
      return new Started(
          changes.plus(ChangeSetEntry.failed(identity, "could not start it", e)), Optional.empty());
    }
  }

  private ChangeSet deleteEarlierRuns(ObjectRef identity, String trackingId, ApplyOptions options) {
    ApiResource type = cluster.discovery().require(identity);
    ChangeSet deleted = ChangeSet.empty();
    for (GenericKubernetesResource earlier :
        cluster.list(
            type, identity.namespace(), Map.of(Tracking.MANAGED_BY_LABEL, Tracking.MANAGED_BY))) {
      Map<String, String> annotations = earlier.getMetadata().getAnnotations();
      if (annotations == null || !trackingId.equals(annotations.get(Tracking.TRACKING_ID))) {
        continue;
      }
      ObjectRef ref = withName(identity, earlier.getMetadata().getName());
      Optional<ChangeSetEntry> stuck = deleteAndAwait(ref, options);
      if (stuck.isPresent()) {
        return deleted.plus(stuck.get());
      }
      deleted = deleted.plus(earlierRunDeleted(ref));
    }
    return deleted;
  }

  /** The hook as it is created: in its namespace, without a name, with the tracking marks. */
  private GenericKubernetesResource prepared(SyncTask task, String trackingId) {
    GenericKubernetesResource copy = json.copy(task.desired().orElseThrow());
    ObjectMeta metadata = copy.getMetadata();
    metadata.setNamespace(task.object().namespace().isEmpty() ? null : task.object().namespace());
    metadata.setName(null);
    ServerFields.stripFrom(copy);
    Map<String, String> labels =
        new HashMap<>(metadata.getLabels() == null ? Map.of() : metadata.getLabels());
    labels.put(Tracking.MANAGED_BY_LABEL, Tracking.MANAGED_BY);
    metadata.setLabels(labels);
    Map<String, String> annotations =
        new HashMap<>(metadata.getAnnotations() == null ? Map.of() : metadata.getAnnotations());
    annotations.put(Tracking.TRACKING_ID, trackingId);
    metadata.setAnnotations(annotations);
    return copy;
  }

  /**
   * How the hook object stands ({@code ref} is the object, its generated name resolved).
   *
   * @throws ClusterException when it cannot be read (not "not created yet": that would wait for a
   *     hook that may well exist)
   */
  Outcome outcome(ObjectRef ref) {
    Optional<GenericKubernetesResource> live = cluster.get(ref);
    if (live.isEmpty()) {
      return new Outcome.Running("not created yet");
    }
    return switch (ref.kind()) {
      case "Job" -> jobOutcome(live.get());
      case "Pod" -> podOutcome(live.get());
      default -> new Outcome.Succeeded();
    };
  }

  /**
   * Deletes the hook object {@code ref} if its policy asks for it after this ending: deleted (or
   * already gone), or failed with why.
   */
  Optional<ChangeSetEntry> finish(SyncTask task, ObjectRef ref, boolean succeeded) {
    if (!task.hook().orElseThrow().deletedAfter(succeeded)) {
      return Optional.empty();
    }
    String ended = "hook " + (succeeded ? "succeeded" : "failed");
    try {
      boolean existed = cluster.delete(ref);
      return Optional.of(
          new ChangeSetEntry(
              ref, Action.DELETED, ended + (existed ? "; deleted" : "; already gone")));
    } catch (ClusterException e) {
      return Optional.of(ChangeSetEntry.failed(ref, ended + ", but could not be deleted", e));
    }
  }

  static ObjectRef withName(ObjectRef identity, String name) {
    return new ObjectRef(identity.apiVersion(), identity.kind(), identity.namespace(), name);
  }

  private static Outcome jobOutcome(GenericKubernetesResource job) {
    for (Map<String, Object> condition : conditions(job)) {
      if (!"True".equals(condition.get("status"))) {
        continue;
      }
      if ("Complete".equals(condition.get("type"))) {
        return new Outcome.Succeeded();
      }
      if ("Failed".equals(condition.get("type"))) {
        return new Outcome.Failed(
            "Job failed: " + condition.getOrDefault("message", condition.get("reason")));
      }
    }
    return new Outcome.Running("Job running");
  }

  private static Outcome podOutcome(GenericKubernetesResource pod) {
    Object phase = pod.get("status", "phase");
    if ("Succeeded".equals(phase)) {
      return new Outcome.Succeeded();
    }
    if ("Failed".equals(phase)) {
      return new Outcome.Failed("Pod failed");
    }
    return new Outcome.Running("Pod " + (phase == null ? "pending" : phase));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> conditions(GenericKubernetesResource object) {
    Object conditions = object.get("status", "conditions");
    return conditions instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
  }
}
