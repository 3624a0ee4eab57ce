package dev.tagflow.sync;

import java.util.List;

/**
 * The order of a sync: steps by phase (PreSync → Sync → PostSync), then wave; inside a step the
 * tasks are in kind order (Namespaces, … CRDs, … Deployments, … custom resources) and by name. The
 * SyncFail steps run only when the sync fails.
 *
 * @param steps the steps of a successful sync, in order
 * @param failSteps the SyncFail hooks, in order
 */
public record SyncPlan(List<SyncStep> steps, List<SyncStep> failSteps) {

  public SyncPlan {
    steps = List.copyOf(steps);
    failSteps = List.copyOf(failSteps);
  }

  /** Every task of the plan, in order (SyncFail last). */
  public List<SyncTask> tasks() {
    return java.util.stream.Stream.concat(steps.stream(), failSteps.stream())
        .flatMap(s -> s.tasks().stream())
        .toList();
  }
}
