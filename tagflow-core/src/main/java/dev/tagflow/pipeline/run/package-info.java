/**
 * The runner: one run of a release workflow on the Tagflow host, its jobs by {@code needs}, its
 * steps as processes, its masked log.
 *
 * <pre>{@code
 * PipelineRunner runner = new PipelineRunner(dataDir, 4);           // 4 job instances at once
 * RunHandle run = runner.start(
 *     new RunRequest(id, workflow, RunEvent.push(RefPush.tag("v1.2.3")), "shop/app",
 *         repositoryUrl, commit, secrets, vars),
 *     line -> ui.show(line));                                       // RunListener, live
 * run.cancel("by alice");                                           // kills every process
 * RunResult result = run.await();                                   // jobs, steps, outputs
 * }</pre>
 *
 * <h2>Parts</h2>
 *
 * <ul>
 *   <li>{@link dev.tagflow.pipeline.run.PipelineRunner}: the entry point; a run's directory {@code
 *       <data>/runs/<id>} with {@code log.txt} and a workspace per job instance.
 *   <li>{@code RunExecution}: jobs on virtual threads, each waiting for its needs, its {@code if:}
 *       with the status of the jobs before it, its matrix with fail-fast and max-parallel.
 *   <li>{@code JobExecution}: the steps of one job instance: env merged workflow → job → {@code
 *       $GITHUB_ENV} → step, GitHub's variables and files, {@code steps.*}, job outputs, and at the
 *       end the killing of what its steps left running.
 *   <li>{@code StepProcess} and {@code ProcessTree}: a step's process in its own session ({@code
 *       setsid}); output read without blocking, so a background child holding it open cannot hold
 *       the step; killing finds descendants and the rest of the process group in {@code /proc} and
 *       kills until none is left.
 *   <li>{@code WorkflowCommands}, {@code MaskedValues}, {@code LineMasker}, {@code RunLog}: the
 *       commands in output, masking (as given, per line, split over two lines, base64), and the log
 *       file and listeners. Every line is masked before anyone sees it.
 *   <li>{@code Checkout}: the built-in {@code actions/checkout} with JGit.
 *   <li>{@code ImageStep}: {@code tagflow/image}, its inputs made an {@link
 *       dev.tagflow.pipeline.image.ImageSpec} for the runner's {@link
 *       dev.tagflow.pipeline.image.ImageBuilder} (cache in {@code <data>/image-cache}).
 *   <li>{@code PromoteStep}: {@code tagflow/promote}, a {@link
 *       dev.tagflow.promote.PromotionRequest} of the run's release for the {@link
 *       dev.tagflow.promote.EnvRepoWriter} the runner was given (none: the step fails as not
 *       configured).
 *   <li>With a {@link dev.tagflow.store.RunStore}, each run is recorded when it starts ({@code
 *       RUNNING}) and when it ends (its conclusion, and its jobs and steps as the masked JSON of
 *       {@code RunDocument}); {@link dev.tagflow.pipeline.run.PipelineRunner#markInterrupted()}
 *       marks at start the runs a stopped server left running as {@code INTERRUPTED}, with a last
 *       line in their log, after {@code StrayProcesses} killed every process of this user still
 *       carrying their marker ({@code TAGFLOW_RUN_MARKER=<run id>}, given to every step process and
 *       inherited by whatever it starts, in any session).
 * </ul>
 *
 * <h2>Not yet</h2>
 *
 * <p>The built-ins other than {@code actions/checkout}, {@code tagflow/image} and {@code
 * tagflow/promote}, and composite and JavaScript actions, fail their step as not supported yet. The
 * user's manual is {@code docs/workflows.md} (Running).
 */
package dev.tagflow.pipeline.run;
