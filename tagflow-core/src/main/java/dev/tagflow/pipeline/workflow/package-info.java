/**
 * Release workflows in GitHub Actions syntax: the model, loading it from a tree, and which
 * workflows a push starts. The runner comes after; nothing here runs a step.
 *
 * <pre>{@code
 * WorkflowSet set = new WorkflowLoader().load(repos.tree(url, commit, ""));  // or load(Path)
 * for (Workflow w : set.triggeredBy(RefPush.tag("v1.2.3"))) {
 *   w.jobs();          // by id, in order; each with its steps, needs, matrix, …
 * }
 * set.problems();      // the files that did not load, every problem with file:line:column
 * }</pre>
 *
 * <h2>Loading</h2>
 *
 * <p>{@link dev.tagflow.pipeline.workflow.WorkflowLoader} reads the {@code *.yml} and {@code
 * *.yaml} files directly in {@code .github/workflows} and {@code .tagflow/workflows} of a
 * directory, or of a commit straight from Git's objects ({@link dev.tagflow.source.TreeReader}, no
 * checkout). Every file goes through {@code dev.tagflow.yaml} (size refused before reading, aliases
 * counted while composing, 200 levels of nesting) and must be UTF-8 without control characters. A
 * file loads whole or not at all, and one broken file does not stop the others: the {@link
 * dev.tagflow.pipeline.workflow.WorkflowSet} holds the workflows that loaded and every problem of
 * the rest. Problems name the closest valid key for an unknown one, unknown jobs in {@code needs}
 * and cycles, duplicate step ids, ids against GitHub's rule, filter patterns with the column of the
 * bad character.
 *
 * <p>{@code on} is read as the key it is written as (YAML 1.1 would make it {@code true}); it may
 * be an event, a list of events or a mapping. Only {@code push} and {@code workflow_dispatch} start
 * runs; GitHub's other events are accepted and named as not started by Tagflow.
 *
 * <h2>Model</h2>
 *
 * <p>{@link dev.tagflow.pipeline.workflow.Workflow} → {@link dev.tagflow.pipeline.workflow.Job} →
 * {@link dev.tagflow.pipeline.workflow.Step}, whose {@link
 * dev.tagflow.pipeline.workflow.StepAction} is a {@code run:} script or a {@code uses:} of an
 * {@link dev.tagflow.pipeline.workflow.ActionRef}: a {@link
 * dev.tagflow.pipeline.workflow.BuiltInAction} ({@code actions/checkout}, {@code
 * actions/setup-java}, {@code actions/upload-artifact}, {@code actions/download-artifact}, {@code
 * actions/cache}, {@code tagflow/image}, {@code tagflow/promote}), a local action ({@code ./path})
 * or a remote one ({@code owner/repo[/path]@ref}). Every value that may hold an expression is a
 * {@link dev.tagflow.pipeline.workflow.Text}: the string as written with where it starts; the
 * workflow lists them all as {@link dev.tagflow.pipeline.workflow.ExpressionSite}s with their
 * {@link dev.tagflow.pipeline.expression.Place} (GitHub's context availability). The loader checks
 * each with the expression language ({@link
 * dev.tagflow.pipeline.workflow.ExpressionCheck#LANGUAGE}): a syntax mistake, or a context or
 * function the key does not offer ({@code secrets} in a job's {@code if}), is a problem at the
 * character where it is, inside a {@code run: |} block too.
 *
 * <h2>Refused, with what to use instead</h2>
 *
 * <p>{@code docker://} steps, the Docker actions ({@code docker/build-push-action}, {@code
 * login-action}, {@code setup-buildx-action}, {@code setup-qemu-action}): build images with {@code
 * tagflow/image}. {@code services} and {@code container}: jobs are processes on the Tagflow host.
 * Reusable workflows (a job's {@code uses:}): copy the jobs, or make the steps a composite action.
 *
 * <p>{@link dev.tagflow.pipeline.workflow.ActionLoader} reads an action's {@code action.yml} into
 * an {@link dev.tagflow.pipeline.workflow.ActionDefinition} with the same YAML limits, mappings and
 * positions: a composite action's steps are read as a job's (with GitHub's rules for composite
 * steps), {@code runs.using: docker} is refused with what to use instead. Nothing is skipped: a
 * workflow with any of them does not load.
 *
 * <h2>Triggers</h2>
 *
 * <p>{@link dev.tagflow.pipeline.workflow.RefPattern} is GitHub's filter pattern ({@code *}, {@code
 * **}, {@code ?}, {@code +}, {@code []}, {@code \}, leading {@code !}), matched by an automaton in
 * one pass over the name; {@link dev.tagflow.pipeline.workflow.RefFilter} applies a list in order,
 * the last matching pattern deciding. {@link dev.tagflow.pipeline.workflow.PushTrigger} follows
 * GitHub (only tag filters: no branch; only branch filters: no tag), with one difference: a branch
 * push starts only workflows that ask for branches, so a bare {@code on: push} runs for tags and
 * not for every commit. {@link dev.tagflow.pipeline.workflow.RefPush#of} turns a {@link
 * dev.tagflow.source.RefChanged} into a push (none for a deleted ref).
 *
 * <p>The user's manual is {@code docs/workflows.md}.
 */
package dev.tagflow.pipeline.workflow;
