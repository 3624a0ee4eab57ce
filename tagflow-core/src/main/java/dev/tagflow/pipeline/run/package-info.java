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
 *       $GITHUB_ENV} → step, {@code steps.*}, job outputs, and at the end its post steps and the
 *       killing of what its steps left running. {@code JobState} is what the job's steps share
 *       (env, {@code PATH} entries, summary, process trees, {@code PostStep}s: work left for the
 *       job's end, run the last registered first); {@code ProcessStep} runs one process as a step
 *       with GitHub's variables and files.
 *   <li>{@code JobActions} and {@code ActionStep}: composite and JavaScript actions. The remote
 *       ones of a job are fetched by the runner's {@link dev.tagflow.pipeline.action.ActionSource}
 *       and read ({@link dev.tagflow.pipeline.workflow.ActionLoader}) before its first step;
 *       composite steps run with the action's own {@code inputs} and {@code steps}, JavaScript
 *       actions with the host's Node ({@code NodeRuntime}), their {@code pre} at the job's start
 *       and {@code post} as a post step.
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
 *   <li>{@code SetupJava}: {@code actions/setup-java} with the host's JDKs ({@code JdkCatalog}
 *       reads each one's {@code release} file into an {@code InstalledJdk}; {@code JavaVersionSpec}
 *       is setup-java's version syntax).
 *   <li>{@code CacheStep}: {@code actions/cache}, {@code /restore}, {@code /save}, backed by the
 *       {@code CacheStore} in {@code <data>/caches} (per repository, size limit, least recently
 *       used evicted); the save is a {@code PostStep} the job runs at its end.
 *   <li>{@code UploadArtifact}, {@code DownloadArtifact}: artifacts of the run in its {@code
 *       ArtifactStore} ({@code <run>/artifacts}).
 *   <li>{@code PathPatterns} reads the {@code path:} inputs; {@code FileArchive} writes and
 *       extracts their zips, checking a whole archive before writing anything. A built-in step sees
 *       its job through a {@code BuiltInStep}; {@link dev.tagflow.pipeline.run.BuiltInSettings}
 *       (JDK folders, cache limit) is given to the runner.
 *   <li>With a {@link dev.tagflow.store.RunStore}, each run is recorded when it starts ({@code
 *       RUNNING}) and when it ends (its conclusion, and its jobs and steps as the masked JSON of
 *       {@code RunDocument}); {@link dev.tagflow.pipeline.run.PipelineRunner#markInterrupted()}
 *       marks at start the runs a stopped server left running as {@code INTERRUPTED}, with a last
 *       line in their log, after {@code StrayProcesses} killed every process of this user still
 *       carrying their marker ({@code TAGFLOW_RUN_MARKER=<run id>}, given to every step process and
 *       inherited by whatever it starts, in any session).
 * </ul>
 *
 * <p>The user's manual is {@code docs/workflows.md} (Running).
 */
package dev.tagflow.pipeline.run;
