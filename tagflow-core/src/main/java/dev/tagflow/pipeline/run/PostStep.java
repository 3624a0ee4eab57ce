package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.expression.Contexts;

/**
 * Work a step leaves for the end of its job (a JavaScript action's {@code post:}, a cache to save):
 * the post steps of a job run after its last step, the last registered first, each when its
 * condition holds for the job's status then ({@code always()} by default, as GitHub's {@code
 * post-if}).
 *
 * @param index the step that registered it, for the log
 * @param name shown in the log: {@code Post <step name>}
 * @param condition an {@code if:} without {@code ${{ }}}
 * @param work what runs; a failure fails the job
 */
record PostStep(int index, String name, String condition, Work work) {

  /** What a post step does, with the contexts at the job's end. */
  @FunctionalInterface
  interface Work {
    /** The outcome: {@link ProcessStep.Outcome#message()} says why when it is not success. */
    ProcessStep.Outcome run(Contexts contexts);
  }
}
