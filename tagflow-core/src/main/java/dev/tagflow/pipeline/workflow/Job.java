package dev.tagflow.pipeline.workflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One job of a workflow.
 *
 * @param id its key under {@code jobs:}
 * @param at where its key is
 * @param needs the jobs that must finish first, in the order written
 * @param condition {@code if:}, as written
 * @param outputs {@code outputs:}, each usually an expression over {@code steps}
 * @param timeoutMinutes a number or an expression
 * @param continueOnError true, false or an expression
 * @param runsOn {@code runs-on:} as written; accepted and not used, every job runs on the Tagflow
 *     host
 */
public record Job(
    String id,
    Position at,
    Optional<Text> name,
    List<String> needs,
    Optional<Text> condition,
    Map<String, Text> env,
    Map<String, Text> outputs,
    Optional<Text> timeoutMinutes,
    Optional<Text> continueOnError,
    Optional<Strategy> strategy,
    Optional<Text> runsOn,
    RunDefaults defaults,
    List<Step> steps) {

  public Job {
    needs = List.copyOf(needs);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    steps = List.copyOf(steps);
  }
}
