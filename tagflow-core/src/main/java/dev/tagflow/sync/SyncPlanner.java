package dev.tagflow.sync;

import dev.tagflow.apply.KindOrder;
import dev.tagflow.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds a {@link SyncPlan} from an application's desired objects and the stale objects to prune.
 *
 * <p>Order: phase, wave, kind, name (gitops-engine's order). A Namespace or a CRD is moved up to
 * the earliest step of an object that needs it, so a wave -1 custom resource still finds its CRD. A
 * stale object is pruned in its own wave (read from the live object when the sync started), or
 * after the last Sync wave with PruneLast.
 */
public final class SyncPlanner {

  private static final Comparator<SyncTask> ORDER =
      Comparator.comparing(SyncTask::phase)
          .thenComparingInt(SyncTask::wave)
          .thenComparing(SyncTask::object, KindOrder.OBJECTS);

  private final Function<GenericKubernetesResource, ObjectRef> refs;

  /**
   * A planner.
   *
   * @param refs the reference of an object with its namespace resolved (namespaced kinds without
   *     one get the destination namespace)
   */
  public SyncPlanner(Function<GenericKubernetesResource, ObjectRef> refs) {
    this.refs = refs;
  }

  /** The plan for applying {@code desired} and deleting {@code stale}. */
  public SyncPlan plan(
      List<GenericKubernetesResource> desired, List<PruneTarget> stale, boolean pruneLast) {
    List<SyncTask> tasks = new ArrayList<>();
    for (GenericKubernetesResource object : desired) {
      if (SyncAnnotations.isSkipped(object)) {
        continue;
      }
      Optional<Hook> hook = SyncAnnotations.hook(object);
      Phase phase = hook.map(Hook::phase).orElse(Phase.SYNC);
      tasks.add(
          new SyncTask(
              refs.apply(object), Optional.of(object), phase, SyncAnnotations.wave(object), hook));
    }
    moveDependenciesUp(tasks);
    int lastWave =
        tasks.stream()
            .filter(t -> t.phase() == Phase.SYNC)
            .mapToInt(SyncTask::wave)
            .max()
            .orElse(0);
    for (PruneTarget target : stale) {
      int wave = pruneLast ? lastWave + 1 : target.wave();
      tasks.add(
          new SyncTask(target.object(), Optional.empty(), Phase.SYNC, wave, Optional.empty()));
    }
    tasks.sort(ORDER);
    Map<String, List<SyncTask>> grouped = new LinkedHashMap<>();
    for (SyncTask task : tasks) {
      grouped.computeIfAbsent(task.phase() + "/" + task.wave(), k -> new ArrayList<>()).add(task);
    }
    List<SyncStep> steps = new ArrayList<>();
    List<SyncStep> failSteps = new ArrayList<>();
    for (List<SyncTask> group : grouped.values()) {
      SyncStep step = new SyncStep(group.get(0).phase(), group.get(0).wave(), group);
      (step.phase() == Phase.SYNC_FAIL ? failSteps : steps).add(step);
    }
    return new SyncPlan(steps, failSteps);
  }

  /** Namespaces and CRDs go to the earliest step of an object in them or of their kind. */
  private static void moveDependenciesUp(List<SyncTask> tasks) {
    for (int i = 0; i < tasks.size(); i++) {
      SyncTask dependency = tasks.get(i);
      if (dependency.isHook() || !KindOrder.isClusterDefinition(dependency.object())) {
        continue;
      }
      GenericKubernetesResource definition = dependency.desired().orElseThrow();
      SyncTask earliest = dependency;
      for (SyncTask task : tasks) {
        boolean earlier =
            task.phase().compareTo(earliest.phase()) < 0
                || (task.phase() == earliest.phase() && task.wave() < earliest.wave());
        if (earlier && needs(task, dependency.object(), definition)) {
          earliest = task;
        }
      }
      tasks.set(i, dependency.inStep(earliest.phase(), earliest.wave()));
    }
  }

  private static boolean needs(
      SyncTask task, ObjectRef dependency, GenericKubernetesResource definition) {
    if (task.object().equals(dependency)) {
      return false;
    }
    if (dependency.kind().equals("Namespace")) {
      return task.object().namespace().equals(dependency.name());
    }
    return task.object().group().equals(definition.get("spec", "group"))
        && task.object().kind().equals(definition.get("spec", "names", "kind"));
  }
}
