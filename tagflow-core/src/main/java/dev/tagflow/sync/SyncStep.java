package dev.tagflow.sync;

import java.util.List;

/** The tasks of one phase and wave: applied together, then awaited until healthy. */
public record SyncStep(Phase phase, int wave, List<SyncTask> tasks) {

  public SyncStep {
    tasks = List.copyOf(tasks);
  }

  /** {@code PreSync wave 0}, as messages name it. */
  public String label() {
    return phase == Phase.SYNC ? "wave " + wave : phase.displayName() + " wave " + wave;
  }
}
