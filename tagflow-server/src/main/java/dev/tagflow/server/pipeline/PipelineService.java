package dev.tagflow.server.pipeline;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.app.Problem;
import dev.tagflow.pipeline.action.ActionSource;
import dev.tagflow.pipeline.run.BuiltInSettings;
import dev.tagflow.pipeline.run.PipelineRunner;
import dev.tagflow.pipeline.run.RunEvent;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.pipeline.workflow.Workflow;
import dev.tagflow.pipeline.workflow.WorkflowSet;
import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.store.BuiltImageStore;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release pipeline inside {@code tagflow server}: a ref change of a repository Tagflow knows
 * starts, with the {@link PipelineRunner}, a run of each workflow of the new commit that the push
 * triggers; one run per repository, tag and workflow (a re-delivered event does nothing, a moved
 * tag is refused and recorded unless forced). A run is stored QUEUED before it waits for a slot
 * ({@link RunSlots}), so a stop loses none; it gets the secrets its workflow names; the images it
 * pushed are recorded when it ends ({@link BuiltImageRecorder}). The command line's dispatch, rerun
 * and cancel of a queued run arrive as {@link PipelineRequests} ({@link RunRequestDesk}).
 */
public final class PipelineService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PipelineService.class);

  /** The file in a run's directory naming the mirror the run read, for {@code runs rerun}. */
  public static final String SOURCE_FILE = RunSources.SOURCE_FILE;

  /** The file in a running run's directory that asks the server to cancel it. */
  public static final String CANCEL_FILE = "cancel-requested";

  private final Path dataDir;
  private final Parts parts;
  private final RunStore store;
  private final PipelineRunner runner;
  private final RunSources sources;
  private final RunSlots slots;
  private final RunAdmission admission;
  private final RunRequestDesk desk;

  /**
   * What the pipeline works with.
   *
   * @param mirrors the bare mirror of a repository URL (the repository cache's)
   * @param runs where runs are recorded
   * @param images where the images runs pushed are recorded
   * @param secrets the secrets of a repository's runs
   * @param refs the repositories and refs a manual run may name
   * @param promotions the writer the runs' {@code tagflow/promote} steps promote with
   * @param builtIns the JDK folders of {@code actions/setup-java} and the cache limit of {@code
   *     actions/cache}
   * @param actions where the runs' remote actions ({@code uses: owner/repo@ref}) are fetched from;
   *     empty for GitHub, cached in the data directory
   */
  public record Parts(
      Function<String, Path> mirrors,
      RunStore runs,
      BuiltImageStore images,
      RunSecrets secrets,
      RefLookup refs,
      Optional<EnvRepoWriter> promotions,
      BuiltInSettings builtIns,
      Optional<ActionSource> actions) {

    /** Parts with the built-in actions' defaults and remote actions from GitHub. */
    public Parts(
        Function<String, Path> mirrors,
        RunStore runs,
        BuiltImageStore images,
        RunSecrets secrets,
        RefLookup refs,
        Optional<EnvRepoWriter> promotions) {
      this(
          mirrors,
          runs,
          images,
          secrets,
          refs,
          promotions,
          BuiltInSettings.defaults(),
          Optional.empty());
    }
  }

  /**
   * @param maxRuns how many runs may go at once; more wait their turn, stored as queued
   * @param maxJobs how many jobs of one run may go at once
   */
  public PipelineService(Path dataDir, Parts parts, int maxRuns, int maxJobs, Clock clock) {
    this.dataDir = dataDir;
    this.parts = parts;
    this.store = parts.runs();
    this.runner =
        new PipelineRunner(
            dataDir,
            maxJobs,
            Optional.of(store),
            clock,
            parts.promotions(),
            parts.builtIns(),
            parts
                .actions()
                .orElseGet(
                    () ->
                        new ActionSource(
                            dataDir,
                            ActionSource.DEFAULT_BASE,
                            RemoteAccess.anonymous(new SimpleMeterRegistry()))));
    this.sources = new RunSources(runner::directory);
    RunRefusals refusals = new RunRefusals(store, runner::directory, sources, clock);
    this.slots =
        new RunSlots(
            maxRuns,
            runner,
            store,
            parts.secrets(),
            parts.images(),
            sources,
            refusals,
            this::runStarted);
    this.admission = new RunAdmission(store, runner, slots, refusals, clock);
    this.desk =
        new RunRequestDesk(this, store, slots, new PipelineRequests(dataDir), runner::directory);
  }

  /** The desk looks for cancel requests in a running run's directory: wakes it. */
  private void runStarted() {
    desk.runStarted();
  }

  /**
   * Kills what the steps of runs a stopped server left running still run, marks those runs
   * interrupted (their logs kept), and queues again the runs that were waiting for their turn.
   *
   * @return the ids of the runs interrupted
   */
  public List<String> start() {
    List<String> interrupted = runner.markInterrupted();
    for (RunStore.QueuedRun queuedRun : store.queuedRuns()) {
      admission.requeue(queuedRun);
    }
    desk.open();
    return interrupted;
  }

  /**
   * Handles one ref change: the runs it starts are queued, the rest is logged and recorded. Never
   * throws: a failure is logged, and the controller's listeners before it are not affected.
   */
  public synchronized void onRefChanged(RefChanged change) {
    if (slots.closed()) {
      return;
    }
    try {
      handle(change);
    } catch (RuntimeException e) {
      log.error(
          "repository={} ref={} commit={}: the pipeline failed on this change",
          UrlRedaction.redact(change.repository()),
          change.ref(),
          change.newCommit().orElse("none"),
          e);
    }
  }

  private void handle(RefChanged change) {
    Optional<RefPush> push = RefPush.of(change);
    String repo = UrlRedaction.redact(change.repository());
    if (push.isEmpty()) {
      log.debug("repository={} ref={}: deleted or not a branch or tag, no run", repo, change.ref());
      return;
    }
    String commit = change.newCommit().orElseThrow();
    Path mirror = parts.mirrors().apply(change.repository());
    WorkflowSet set;
    try {
      set = new MirrorWorkflows(mirror, repo).at(commit);
    } catch (TagflowException | UncheckedIOException e) {
      log.warn(
          "repository={} ref={} commit={}: workflows not read: {}",
          repo,
          change.ref(),
          commit,
          e.getMessage());
      return;
    }
    String name = repositoryName(change.repository());
    for (WorkflowSet.Refused refused : set.refused()) {
      // As WorkflowSet.problemsFor: a file whose triggers could not be read might have started.
      if (refused.on().map(on -> on.startsOn(push.get())).orElse(true)) {
        admission.refuse(
            name,
            mirror,
            refused.file(),
            push.get(),
            commit,
            refused.problems().stream().map(Problem::toString).toList());
      }
    }
    for (Workflow workflow : set.triggeredBy(push.get())) {
      admission.queue(
          name, repo, mirror, workflow, RunEvent.push(push.get()), commit, false, false);
    }
  }

  /**
   * Queues a recorded run's workflow again, at its commit; with {@code force} also a refused one (a
   * moved tag) and a tag that has run at another commit since.
   *
   * @return the id of the new run
   */
  public String rerun(RunRecord run, boolean force) {
    if (run.status() == RunRecord.RunStatus.RUNNING || run.status() == RunRecord.RunStatus.QUEUED) {
      throw TagflowException.invalidInput(
          "run "
              + run.runId()
              + " is still "
              + run.status().name().toLowerCase(Locale.ROOT)
              + "; cancel it first (tagflow runs cancel)");
    }
    Path mirror = sources.mirror(run.runId());
    MirrorWorkflows workflows = new MirrorWorkflows(mirror, run.repository());
    RefPush push = RunAdmission.pushOf(run.ref());
    // A forced run of a moved tag is for where the tag points now.
    String commit =
        force && push.kind() == RefPush.Kind.TAG
            ? workflows.resolve(push.ref()).orElse(run.commit())
            : run.commit();
    Workflow workflow = workflows.workflow(commit, run.workflow());
    // A dispatched run runs again with the inputs it was given.
    RunEvent event =
        run.event().equals("workflow_dispatch")
            ? RunEvent.dispatch(push, sources.inputs(run.runId()))
            : RunEvent.push(push);
    String url = sources.url(run.runId());
    return admission
        .queue(run.repository(), url, mirror, workflow, event, commit, force, true)
        .orElseThrow(
            () ->
                TagflowException.invalidInput(
                    "run "
                        + run.runId()
                        + " was not run again: tag "
                        + push.name()
                        + " ran at another commit (see the new refused run in tagflow runs list);"
                        + " add --force to run it anyway"));
  }

  /**
   * Queues a manual run ({@code workflow_dispatch}) of a workflow of a repository's tag or branch,
   * with its inputs.
   *
   * @param file the workflow's file: its path ({@code .github/workflows/release.yml}) or name
   *     ({@code release.yml})
   * @return the id of the run
   * @throws TagflowException when the repository, ref or workflow is not found, the workflow has no
   *     {@code on.workflow_dispatch}, or an input does not fit what it declares
   */
  public String dispatch(
      String repositoryName, String ref, String file, Map<String, String> given) {
    RefLookup.Target target = parts.refs().find(repositoryName, ref);
    Path mirror = parts.mirrors().apply(target.url());
    String name = repositoryName(target.url());
    Workflow workflow =
        new MirrorWorkflows(mirror, name).named(target.push().ref(), target.commit(), file);
    if (!workflow.on().manual()) {
      throw TagflowException.invalidInput(
          workflow.file()
              + " cannot be run by hand: it has no on.workflow_dispatch (its triggers: "
              + workflow.on().events()
              + "); add workflow_dispatch: to its on: to allow manual runs");
    }
    List<String> problems = workflow.on().checkInputs(given);
    if (!problems.isEmpty()) {
      throw TagflowException.invalidInput(
          workflow.file() + " was not run: " + String.join("; ", problems));
    }
    RunEvent event = RunEvent.dispatch(target.push(), workflow.on().inputs(given));
    return admission
        .queue(name, target.url(), mirror, workflow, event, target.commit(), true, true)
        .orElseThrow();
  }

  /** Whether a stored run is a refusal (a failed record that never ran). */
  public static boolean isRefusal(RunRecord run) {
    return RunRefusals.isRefusal(run);
  }

  /** {@code owner/name} of a URL, as {@code github.repository}. */
  static String repositoryName(String url) {
    String path = UrlRedaction.redact(url).replaceAll("/+$", "").replaceAll("\\.git$", "");
    String[] parts = path.split("[/:]");
    if (parts.length >= 2) {
      return parts[parts.length - 2] + "/" + parts[parts.length - 1];
    }
    return path;
  }

  /**
   * Stops: no new run starts, the running ones are cancelled (their process trees killed) and
   * recorded as interrupted, so they can be run again.
   *
   * @return whether they ended within the grace period
   */
  public boolean close(Duration grace) {
    slots.shutdown();
    desk.close();
    return slots.interruptRunning("interrupted: Tagflow server stopping", grace);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(20));
  }

  /** The data directory's runs. */
  public Path runsDirectory() {
    return dataDir.resolve("runs");
  }
}
