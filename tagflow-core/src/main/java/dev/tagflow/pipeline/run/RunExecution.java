package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.expression.Condition;
import dev.tagflow.pipeline.expression.Contexts;
import dev.tagflow.pipeline.expression.ExpressionException;
import dev.tagflow.pipeline.expression.Template;
import dev.tagflow.pipeline.expression.Value;
import dev.tagflow.pipeline.workflow.Job;
import dev.tagflow.pipeline.workflow.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The jobs of one run in the order their {@code needs} give: each job waits for the jobs it needs,
 * then its {@code if:} decides, then its instances (one per matrix combination) run on virtual
 * threads, at most {@code maxParallelJobs} instances of the run at once.
 */
final class RunExecution {

  /** How a job ended, for the jobs that need it. */
  private record Outcome(
      Conclusion result,
      Map<String, String> outputs,
      Contexts.Status chain,
      boolean skippedChain) {}

  private final RunScope scope;
  private final Semaphore slots;
  private final List<JobResult> finished = Collections.synchronizedList(new ArrayList<>());

  RunExecution(RunScope scope, int maxParallelJobs) {
    this.scope = scope;
    this.slots = new Semaphore(maxParallelJobs);
  }

  RunResult run() {
    Instant started = Instant.now();
    Map<String, CompletableFuture<Outcome>> outcomes = new LinkedHashMap<>();
    scope.workflow().jobs().keySet().forEach(id -> outcomes.put(id, new CompletableFuture<>()));
    scope
        .log()
        .runner(
            "",
            -1,
            "run "
                + scope.request().runId()
                + " of "
                + scope.workflow().displayName()
                + " for "
                + scope.request().event().ref().ref()
                + " at "
                + scope.request().commit());
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Job job : scope.workflow().jobs().values()) {
        threads.submit(
            () -> {
              Outcome outcome;
              try {
                outcome = job(job, outcomes);
              } catch (RuntimeException e) {
                scope.log().runner(job.id(), -1, "the runner failed: " + e);
                outcome = new Outcome(Conclusion.FAILURE, Map.of(), Contexts.Status.FAILURE, false);
              }
              outcomes.get(job.id()).complete(outcome);
            });
      }
    }
    Conclusion conclusion = Conclusion.SUCCESS;
    for (CompletableFuture<Outcome> outcome : outcomes.values()) {
      Conclusion result = outcome.join().result();
      if (result == Conclusion.FAILURE) {
        conclusion = Conclusion.FAILURE;
      } else if (result == Conclusion.CANCELLED && conclusion == Conclusion.SUCCESS) {
        conclusion = Conclusion.CANCELLED;
      }
    }
    if (scope.cancellation().cancelled() && conclusion == Conclusion.SUCCESS) {
      conclusion = Conclusion.CANCELLED;
    }
    scope.log().runner("", -1, "run " + scope.request().runId() + " " + conclusion.word());
    return new RunResult(
        scope.request().runId(),
        scope.workflow().displayName(),
        conclusion,
        started,
        Instant.now(),
        finished,
        scope.log().file());
  }

  private Outcome job(Job job, Map<String, CompletableFuture<Outcome>> outcomes) {
    Map<String, Value> needs = new LinkedHashMap<>();
    Contexts.Status status = Contexts.Status.SUCCESS;
    boolean skippedChain = false;
    for (String need : job.needs()) {
      Outcome o = outcomes.get(need).join();
      needs.put(
          need,
          Value.object(
              Map.of(
                  "result",
                  Value.of(o.result().word()),
                  "outputs",
                  RunScope.strings(o.outputs()))));
      if (o.chain() == Contexts.Status.FAILURE) {
        status = Contexts.Status.FAILURE;
      } else if (o.chain() == Contexts.Status.CANCELLED && status == Contexts.Status.SUCCESS) {
        status = Contexts.Status.CANCELLED;
      }
      skippedChain |= o.skippedChain();
    }
    if (scope.cancellation().cancelled()) {
      status = Contexts.Status.CANCELLED;
    }
    Value needsValue = Value.object(needs);
    Contexts contexts =
        Contexts.builder()
            .status(status)
            .put("github", scope.github(job.id(), scope.directory()))
            .put("vars", RunScope.strings(scope.request().vars()))
            .put("inputs", RunScope.strings(scope.request().event().inputs()))
            .put("needs", needsValue)
            .build();
    String skipReason = null;
    try {
      Condition condition = Condition.parse(job.condition().map(Text::value).orElse(""));
      boolean runs = condition.test(contexts) && (condition.usesStatusFunction() || !skippedChain);
      if (!runs) {
        skipReason =
            job.condition().isPresent()
                ? "if: " + condition.text() + " was false"
                : "a job it needs did not succeed";
      }
    } catch (ExpressionException e) {
      return failedBeforeStart(job, "if: " + e.getMessage(), status);
    }
    if (skipReason != null) {
      scope.log().runner(job.id(), -1, "skipped: " + skipReason);
      Instant now = Instant.now();
      JobResult skipped =
          new JobResult(
              job.id(),
              job.id(),
              Map.of(),
              Conclusion.SKIPPED,
              now,
              now,
              Map.of(),
              List.of(),
              "",
              skipReason);
      finished.add(skipped);
      scope.log().jobFinished(skipped);
      return new Outcome(Conclusion.SKIPPED, Map.of(), status, true);
    }
    List<Map<String, Object>> combinations;
    boolean failFast = true;
    int maxParallel = Integer.MAX_VALUE;
    try {
      if (job.strategy().isPresent()) {
        combinations = MatrixValues.combinations(job.strategy().get().matrix(), contexts);
        failFast = flag(job.strategy().get().failFast(), contexts, true);
        Optional<Text> max = job.strategy().get().maxParallel();
        if (max.isPresent()) {
          maxParallel =
              (int)
                  Math.max(
                      1,
                      Double.parseDouble(
                          Template.parse(max.get().value()).render(contexts).strip()));
        }
      } else {
        combinations = List.of(Map.of());
      }
    } catch (StepFailure | ExpressionException | NumberFormatException e) {
      return failedBeforeStart(job, "strategy: " + e.getMessage(), status);
    }
    Cancellation jobCancellation = scope.cancellation().child();
    Semaphore matrixSlots = new Semaphore(Math.min(maxParallel, Math.max(1, combinations.size())));
    List<JobResult> results = Collections.synchronizedList(new ArrayList<>());
    List<Boolean> tolerated = Collections.synchronizedList(new ArrayList<>());
    boolean stopOthers = failFast;
    try (ExecutorService instances = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < combinations.size(); i++) {
        int index = i;
        Map<String, Object> combination = combinations.get(i);
        Value strategy =
            Value.object(
                Map.of(
                    "fail-fast", Value.of(failFast),
                    "job-index", Value.of(index),
                    "job-total", Value.of(combinations.size()),
                    "max-parallel", Value.of(Math.min(maxParallel, combinations.size()))));
        instances.submit(
            () -> {
              String key = MatrixValues.key(job.id(), combination);
              Cancellation own = jobCancellation.child();
              try {
                matrixSlots.acquire();
                try {
                  slots.acquire();
                  try {
                    JobResult result;
                    if (own.cancelled()) {
                      Instant now = Instant.now();
                      result =
                          new JobResult(
                              job.id(),
                              key,
                              combination,
                              Conclusion.CANCELLED,
                              now,
                              now,
                              Map.of(),
                              List.of(),
                              "",
                              "cancelled before it started: " + own.reason().orElse(""));
                    } else {
                      scope.log().runner(key, -1, "job " + key + " started");
                      result =
                          new JobExecution(
                                  scope, job, key, index, combination, needsValue, strategy, own)
                              .run();
                    }
                    boolean continues = continueOnError(job, combination, contexts);
                    results.add(result);
                    tolerated.add(continues);
                    finished.add(result);
                    scope
                        .log()
                        .runner(
                            key,
                            -1,
                            "job "
                                + key
                                + " "
                                + result.conclusion().word()
                                + (result.message().isEmpty() ? "" : ": " + result.message()));
                    scope.log().jobFinished(result);
                    if (result.conclusion() == Conclusion.FAILURE
                        && !continues
                        && stopOthers
                        && combinations.size() > 1) {
                      jobCancellation.cancel("fail-fast: " + key + " failed");
                    }
                  } finally {
                    slots.release();
                  }
                } finally {
                  matrixSlots.release();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
    }
    Conclusion conclusion = Conclusion.SUCCESS;
    Map<String, String> outputs = new LinkedHashMap<>();
    synchronized (results) {
      for (int i = 0; i < results.size(); i++) {
        JobResult r = results.get(i);
        outputs.putAll(r.outputs());
        if (r.conclusion() == Conclusion.FAILURE && !tolerated.get(i)) {
          conclusion = Conclusion.FAILURE;
        } else if (r.conclusion() == Conclusion.CANCELLED && conclusion == Conclusion.SUCCESS) {
          conclusion = Conclusion.CANCELLED;
        }
      }
    }
    Contexts.Status chain = status;
    if (conclusion == Conclusion.FAILURE) {
      chain = Contexts.Status.FAILURE;
    } else if (conclusion == Conclusion.CANCELLED && chain == Contexts.Status.SUCCESS) {
      chain = Contexts.Status.CANCELLED;
    }
    return new Outcome(conclusion, outputs, chain, skippedChain);
  }

  private boolean continueOnError(Job job, Map<String, Object> combination, Contexts contexts) {
    if (job.continueOnError().isEmpty()) {
      return false;
    }
    Contexts withMatrix =
        Contexts.builder()
            .put("github", contexts.get("github"))
            .put("vars", contexts.get("vars"))
            .put("inputs", contexts.get("inputs"))
            .put("needs", contexts.get("needs"))
            .put("matrix", MatrixValues.toValue(combination))
            .build();
    try {
      return flag(job.continueOnError(), withMatrix, false);
    } catch (ExpressionException e) {
      return false;
    }
  }

  private static boolean flag(Optional<Text> text, Contexts contexts, boolean otherwise) {
    if (text.isEmpty()) {
      return otherwise;
    }
    String written = text.get().value().strip();
    if (written.equals("false")) {
      return false;
    }
    return Template.parse(written).evaluate(contexts).isTruthy();
  }

  private Outcome failedBeforeStart(Job job, String message, Contexts.Status status) {
    scope.log().runner(job.id(), -1, "failed: " + message);
    Instant now = Instant.now();
    JobResult failed =
        new JobResult(
            job.id(),
            job.id(),
            Map.of(),
            Conclusion.FAILURE,
            now,
            now,
            Map.of(),
            List.of(),
            "",
            message);
    finished.add(failed);
    scope.log().jobFinished(failed);
    return new Outcome(Conclusion.FAILURE, Map.of(), Contexts.Status.FAILURE, false);
  }
}
