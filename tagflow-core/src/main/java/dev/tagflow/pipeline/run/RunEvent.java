package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.workflow.RefPush;
import java.util.Map;
import java.util.Objects;

/**
 * What started a run: a push of a tag or branch, or a manual {@code workflow_dispatch} of a ref.
 *
 * @param name GitHub's event name: {@code push} or {@code workflow_dispatch}
 * @param inputs the dispatch's inputs; empty for a push
 */
public record RunEvent(String name, RefPush ref, Map<String, String> inputs) {

  public RunEvent {
    Objects.requireNonNull(ref, "ref");
    inputs = Map.copyOf(inputs);
  }

  public static RunEvent push(RefPush ref) {
    return new RunEvent("push", ref, Map.of());
  }

  public static RunEvent dispatch(RefPush ref, Map<String, String> inputs) {
    return new RunEvent("workflow_dispatch", ref, inputs);
  }
}
