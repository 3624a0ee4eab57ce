package dev.tagflow.pipeline.workflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code on:} of a workflow: the two triggers Tagflow acts on, and the names of every event the
 * file lists (GitHub's others, {@code pull_request}, {@code schedule}, {@code release}, are
 * accepted and never start a run here).
 *
 * @param push {@code on.push}, if the workflow has it
 * @param dispatch the inputs of {@code on.workflow_dispatch}, if the workflow has it (empty map for
 *     a dispatch without inputs)
 * @param events every event named under {@code on:}, in order
 */
public record Triggers(
    Optional<PushTrigger> push,
    Optional<Map<String, DispatchInput>> dispatch,
    List<String> events) {

  public Triggers {
    dispatch = dispatch.map(inputs -> Collections.unmodifiableMap(new LinkedHashMap<>(inputs)));
    events = List.copyOf(events);
  }

  /** Whether a push of this ref starts the workflow. */
  public boolean startsOn(RefPush push) {
    return this.push.map(p -> p.starts(push)).orElse(false);
  }

  /** Whether the workflow can be started by hand ({@code workflow_dispatch}). */
  public boolean manual() {
    return dispatch.isPresent();
  }

  /**
   * The inputs of a manual run as the workflow sees them ({@code inputs.<id>}): each given value,
   * else the input's default, else {@code false} for a boolean and an empty string for the rest.
   * Check them with {@link #checkInputs} first.
   */
  public Map<String, String> inputs(Map<String, String> given) {
    Map<String, String> values = new LinkedHashMap<>();
    for (DispatchInput input : dispatch.orElse(Map.of()).values()) {
      String fallback = input.type() == DispatchInput.Type.BOOLEAN ? "false" : "";
      values.put(input.id(), given.getOrDefault(input.id(), input.defaultValue().orElse(fallback)));
    }
    return values;
  }

  /**
   * What is wrong with the inputs given for a manual run, one message per input: unknown, missing
   * though required, not one of a choice's options, not a boolean or number. Empty when they fit.
   */
  public List<String> checkInputs(Map<String, String> given) {
    List<String> problems = new ArrayList<>();
    Map<String, DispatchInput> inputs = dispatch.orElse(Map.of());
    if (dispatch.isEmpty()) {
      problems.add("the workflow has no on.workflow_dispatch, so it cannot be started by hand");
      return problems;
    }
    for (String name : given.keySet()) {
      if (!inputs.containsKey(name)) {
        problems.add(
            "unknown input '"
                + name
                + "'"
                + (inputs.isEmpty() ? "; the workflow takes none" : " (inputs: " + inputs.keySet())
                + (inputs.isEmpty() ? "" : ")"));
      }
    }
    for (DispatchInput input : inputs.values()) {
      String value = given.get(input.id());
      if (value == null) {
        if (input.required() && input.defaultValue().isEmpty()) {
          problems.add("input '" + input.id() + "' is required");
        }
        continue;
      }
      switch (input.type()) {
        case BOOLEAN -> {
          if (!value.equals("true") && !value.equals("false")) {
            problems.add("input '" + input.id() + "' must be true or false, not '" + value + "'");
          }
        }
        case NUMBER -> {
          if (!value.matches("-?\\d+(\\.\\d+)?")) {
            problems.add("input '" + input.id() + "' must be a number, not '" + value + "'");
          }
        }
        case CHOICE -> {
          if (!input.options().contains(value)) {
            problems.add(
                "input '"
                    + input.id()
                    + "' must be one of "
                    + String.join(", ", input.options())
                    + ", not '"
                    + value
                    + "'");
          }
        }
        case STRING, ENVIRONMENT -> {
          // Any text.
        }
      }
    }
    return problems;
  }

  /**
   * What starts the workflow in Tagflow, for people: {@code push: tags v*; by hand (inputs:
   * environment)}; events Tagflow does not act on are named as such.
   */
  public String describe() {
    List<String> parts = new ArrayList<>();
    push.ifPresent(p -> parts.add("push: " + p.describe()));
    dispatch.ifPresent(
        inputs ->
            parts.add(
                "by hand"
                    + (inputs.isEmpty()
                        ? ""
                        : " (inputs: " + String.join(", ", inputs.keySet()) + ")")));
    List<String> others =
        events.stream().filter(e -> !e.equals("push") && !e.equals("workflow_dispatch")).toList();
    if (parts.isEmpty()) {
      parts.add("nothing Tagflow starts");
    }
    if (!others.isEmpty()) {
      parts.add("not started by Tagflow: " + String.join(", ", others));
    }
    return String.join("; ", parts);
  }
}
