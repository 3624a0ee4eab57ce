package dev.tagflow.sync;

import dev.tagflow.apply.Action;
import dev.tagflow.apply.ApplyOptions;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.apply.ResourceManager;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs hooks: deletes the previous run's object when asked (BeforeHookCreation), creates the hook,
 * tells whether it completed (a Job's Complete/Failed condition, a Pod's phase; any other kind is
 * done once it exists), and deletes it afterwards as its policy says.
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

  HookRunner(ClusterGateway cluster, ResourceManager manager) {
    this.cluster = cluster;
    this.manager = manager;
  }

  ChangeSetEntry start(SyncTask task, ApplyOptions options) {
    Hook hook = task.hook().orElseThrow();
    if (options.dryRun()) {
      return new ChangeSetEntry(
          task.object(),
          Action.SKIPPED,
          hook.phase().displayName() + " hook; not run in a dry-run");
    }
    if (hook.deletePolicies().contains(HookDeletePolicy.BEFORE_HOOK_CREATION)
        && cluster.get(task.object()).isPresent()) {
      cluster.delete(task.object());
      cluster.waitUntil(task.object(), o -> o == null, options.waitTimeout());
    }
    ChangeSetEntry entry = manager.apply(task.desired().orElseThrow(), options);
    return entry.action() == Action.FAILED
        ? entry
        : new ChangeSetEntry(
            entry.object(), entry.action(), hook.phase().displayName() + " hook started");
  }

  Outcome outcome(SyncTask task) {
    Optional<GenericKubernetesResource> live = cluster.get(task.object());
    if (live.isEmpty()) {
      return new Outcome.Running("not created yet");
    }
    return switch (task.object().kind()) {
      case "Job" -> jobOutcome(live.get());
      case "Pod" -> podOutcome(live.get());
      default -> new Outcome.Succeeded();
    };
  }

  /** Deletes the hook if its policy asks for it after this ending. */
  Optional<ChangeSetEntry> finish(SyncTask task, boolean succeeded) {
    if (!task.hook().orElseThrow().deletedAfter(succeeded)) {
      return Optional.empty();
    }
    ObjectRef ref = task.object();
    cluster.delete(ref);
    return Optional.of(
        new ChangeSetEntry(
            ref, Action.DELETED, "hook " + (succeeded ? "succeeded" : "failed") + "; deleted"));
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
