package dev.tagflow.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.app.Problem;
import dev.tagflow.pipeline.action.ActionSource;
import dev.tagflow.pipeline.run.BuiltInSettings;
import dev.tagflow.pipeline.run.Conclusion;
import dev.tagflow.pipeline.run.JobResult;
import dev.tagflow.pipeline.run.LogLine;
import dev.tagflow.pipeline.run.PipelineRunner;
import dev.tagflow.pipeline.run.RunEvent;
import dev.tagflow.pipeline.run.RunHandle;
import dev.tagflow.pipeline.run.RunListener;
import dev.tagflow.pipeline.run.RunRequest;
import dev.tagflow.pipeline.run.RunResult;
import dev.tagflow.pipeline.run.StepResult;
import dev.tagflow.pipeline.workflow.ActionRef;
import dev.tagflow.pipeline.workflow.BuiltInAction;
import dev.tagflow.pipeline.workflow.Job;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.pipeline.workflow.StepAction;
import dev.tagflow.pipeline.workflow.Workflow;
import dev.tagflow.pipeline.workflow.WorkflowLoader;
import dev.tagflow.pipeline.workflow.WorkflowSet;
import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.secret.ResolvedSecrets;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.TreeReader;
import dev.tagflow.store.BuiltImage;
import dev.tagflow.store.BuiltImageStore;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release pipeline inside {@code tagflow server}: a ref change of a repository Tagflow knows
 * starts, with the {@link PipelineRunner}, a run of each workflow of the new commit that the push
 * triggers; one run per repository, tag and workflow (a re-delivered event does nothing, a moved
 * tag is refused and recorded unless forced). A run is stored QUEUED before it waits for a slot, so
 * a stop loses none; it gets the secrets its workflow names; the images it pushed are recorded when
 * it ends. The command line's dispatch, rerun and cancel of a queued run arrive as {@link
 * PipelineRequests}.
 */
public final class PipelineService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PipelineService.class);

  /** The file in a run's directory naming the mirror the run read, for {@code runs rerun}. */
  public static final String SOURCE_FILE = "source.txt";

  /** The file in a run's directory with its repository's URL and its inputs, for a rerun. */
  static final String REQUEST_FILE = "request.json";

  /** The file in a running run's directory that asks the server to cancel it. */
  public static final String CANCEL_FILE = "cancel-requested";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path dataDir;
  private final Parts parts;
  private final RunStore store;
  private final StoppingStore recording;
  private final PipelineRunner runner;
  private final PipelineRequests requests;
  private final Clock clock;
  private final ExecutorService runs;
  private final Map<String, RunHandle> running = new ConcurrentHashMap<>();
  private final Map<String, Future<?>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final ExecutorService cancelWatch =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
  private final AtomicBoolean closed = new AtomicBoolean();

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
    this.recording = new StoppingStore(store);
    this.runner =
        new PipelineRunner(
            dataDir,
            maxJobs,
            Optional.of(recording),
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
    this.requests = new PipelineRequests(dataDir);
    this.clock = clock;
    this.runs = Executors.newFixedThreadPool(maxRuns, Thread.ofVirtual().factory());
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
      requeue(queuedRun);
    }
    cancelWatch.submit(this::watchRequests);
    return interrupted;
  }

  /** A run stored QUEUED by a server that stopped: queued again, or failed saying why not. */
  private void requeue(RunStore.QueuedRun queuedRun) {
    RunRecord run = queuedRun.run();
    try {
      JsonNode request = JSON.readTree(queuedRun.request());
      String url = request.path("url").asText();
      Path mirror = Path.of(request.path("mirror").asText());
      RefPush push = pushOf(run.ref());
      Map<String, String> inputs = inputsOf(request);
      if (!Files.isDirectory(mirror)) {
        refuseQueued(run, "the repository's mirror " + mirror + " is gone; push the tag again");
        return;
      }
      Workflow workflow;
      try (Repository repository = open(mirror)) {
        WorkflowSet set =
            new WorkflowLoader()
                .load(new TreeReader(repository, run.repository(), run.commit(), ""));
        Optional<Workflow> found =
            set.workflows().stream().filter(w -> w.file().equals(run.workflow())).findFirst();
        if (found.isEmpty()) {
          List<String> problems = problemsOf(set, run.workflow());
          refuseQueued(
              run,
              run.workflow()
                  + " is not a workflow at "
                  + run.commit()
                  + " any more"
                  + (problems.isEmpty() ? " (the file is gone)" : ": " + problems)
                  + "; the queued run cannot start after the restart");
          return;
        }
        workflow = found.get();
      }
      RunEvent event =
          run.event().equals("workflow_dispatch")
              ? RunEvent.dispatch(push, inputs)
              : RunEvent.push(push);
      log.info(
          "repository={} ref={} commit={} workflow={} run={}: queued before the restart, queued"
              + " again",
          run.repository(),
          run.ref(),
          run.commit(),
          run.workflow(),
          run.runId());
      enqueue(
          new Queued(run.runId(), run.repository(), url, mirror, workflow, event, run.commit()));
    } catch (IOException | RuntimeException e) {
      refuseQueued(run, "it could not be queued again after the restart: " + e.getMessage());
    }
  }

  /**
   * Handles one ref change: the runs it starts are queued, the rest is logged and recorded. Never
   * throws: a failure is logged, and the controller's listeners before it are not affected.
   */
  public synchronized void onRefChanged(RefChanged change) {
    if (closed.get()) {
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
    try (Repository repository = open(mirror)) {
      set = new WorkflowLoader().load(new TreeReader(repository, repo, commit, ""));
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
        recordRefusal(
            name, mirror, refused.file(), push.get(), commit, problemLines(refused.problems()));
      }
    }
    for (Workflow workflow : set.triggeredBy(push.get())) {
      queue(
          name,
          UrlRedaction.redact(change.repository()),
          mirror,
          workflow,
          RunEvent.push(push.get()),
          commit,
          false,
          false);
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
              + run.status().name().toLowerCase(java.util.Locale.ROOT)
              + "; cancel it first (tagflow runs cancel)");
    }
    Path mirror = sourceOf(run.runId());
    RefPush push = pushOf(run.ref());
    String commit = run.commit();
    Workflow workflow;
    try (Repository repository = open(mirror)) {
      if (force && push.kind() == RefPush.Kind.TAG) {
        // A forced run of a moved tag is for where the tag points now.
        var id = resolve(repository, push.ref());
        if (id.isPresent()) {
          commit = id.get();
        }
      }
      workflow = workflowAt(repository, run.repository(), commit, run.workflow());
    }
    // A dispatched run runs again with the inputs it was given.
    RunEvent event =
        run.event().equals("workflow_dispatch")
            ? RunEvent.dispatch(push, inputsOf(requestOf(run.runId())))
            : RunEvent.push(push);
    return queue(run.repository(), urlOf(run.runId()), mirror, workflow, event, commit, force, true)
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
    Workflow workflow;
    try (Repository repository = open(mirror)) {
      WorkflowSet set =
          new WorkflowLoader().load(new TreeReader(repository, name, target.commit(), ""));
      List<Workflow> named =
          set.workflows().stream()
              .filter(
                  w ->
                      w.file().equals(file)
                          || Path.of(w.file()).getFileName().toString().equals(file))
              .toList();
      if (named.isEmpty()) {
        List<String> problems = problemsOf(set, file);
        throw TagflowException.invalidInput(
            "there is no workflow "
                + file
                + " at "
                + target.push().ref()
                + " ("
                + target.commit()
                + ") of "
                + name
                + (problems.isEmpty()
                    ? "; the workflows there: "
                        + set.workflows().stream().map(Workflow::file).toList()
                    : ": " + String.join("; ", problems)));
      }
      if (named.size() > 1) {
        throw TagflowException.invalidInput(
            "several workflows are named "
                + file
                + ": "
                + named.stream().map(Workflow::file).toList()
                + "; give the path");
      }
      workflow = named.getFirst();
    }
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
    return queue(name, target.url(), mirror, workflow, event, target.commit(), true, true)
        .orElseThrow();
  }

  private Workflow workflowAt(Repository repository, String name, String commit, String file) {
    WorkflowSet set = new WorkflowLoader().load(new TreeReader(repository, name, commit, ""));
    return set.workflows().stream()
        .filter(w -> w.file().equals(file))
        .findFirst()
        .orElseThrow(
            () ->
                TagflowException.invalidInput(
                    file
                        + " at "
                        + commit
                        + " cannot run: "
                        + set.problems().stream().map(Problem::toString).toList()));
  }

  /** A run to start once a slot is free. */
  private record Queued(
      String runId,
      String name,
      String url,
      Path mirror,
      Workflow workflow,
      RunEvent event,
      String commit) {}

  /**
   * Records a run QUEUED and hands it to the pool, unless one ran at this commit (empty; a rerun or
   * dispatch skips that check) or the tag ran at another commit (refused and recorded, empty).
   */
  private synchronized Optional<String> queue(
      String name,
      String url,
      Path mirror,
      Workflow workflow,
      RunEvent event,
      String commit,
      boolean force,
      boolean rerun) {
    if (closed.get()) {
      throw TagflowException.failed("the server is stopping; nothing new is queued");
    }
    RefPush push = event.ref();
    List<RunRecord> earlier = store.forRef(name, workflow.file(), push.ref());
    if (!force) {
      boolean ranThisCommit =
          !rerun
              && earlier.stream()
                  .anyMatch(r -> r.commit().equals(commit) && !isRefusal(r) && !isInterrupted(r));
      if (ranThisCommit) {
        log.info(
            "repository={} ref={} commit={} workflow={}: ran (or is queued) already for this"
                + " commit, not again",
            name,
            push.ref(),
            commit,
            workflow.file());
        return Optional.empty();
      }
      if (push.kind() == RefPush.Kind.TAG) {
        Optional<RunRecord> other =
            earlier.stream().filter(r -> !r.commit().equals(commit) && !isRefusal(r)).findFirst();
        if (other.isPresent()) {
          recordRefusal(
              name,
              mirror,
              workflow.file(),
              push,
              commit,
              List.of(
                  "tag "
                      + push.name()
                      + " moved from "
                      + other.get().commit()
                      + " (run "
                      + other.get().runId()
                      + ") to "
                      + commit
                      + "; a tag runs its workflow once. To run it at the new commit:"
                      + " tagflow runs rerun <this run> --force"));
          return Optional.empty();
        }
      }
    }
    String runId = newRunId();
    ObjectNode request = JSON.createObjectNode();
    request.put("format", 1);
    request.put("url", url);
    request.put("mirror", mirror.toString());
    ObjectNode inputs = request.putObject("inputs");
    event.inputs().forEach(inputs::put);
    // Stored before it waits: a stop while it waits loses nothing, the next start queues it again.
    store.queued(
        new RunRecord(
            runId,
            name,
            workflow.file(),
            push.ref(),
            commit,
            event.name(),
            RunRecord.RunStatus.QUEUED,
            clock.instant(),
            Optional.empty(),
            runner.directory(runId).resolve("log.txt").toString(),
            Optional.empty()),
        request.toString());
    log.info(
        "repository={} ref={} commit={} workflow={} run={}: queued ({})",
        name,
        push.ref(),
        commit,
        workflow.file(),
        runId,
        event.name());
    enqueue(new Queued(runId, name, url, mirror, workflow, event, commit));
    return Optional.of(runId);
  }

  private void enqueue(Queued run) {
    // Registered before it is submitted, so that the task's own removal comes after.
    CompletableFuture<Void> registered = new CompletableFuture<>();
    Future<?> task =
        runs.submit(
            () -> {
              try {
                registered.join();
                startQueued(run).ifPresent(this::awaitQuietly);
              } catch (RuntimeException e) {
                log.error(
                    "repository={} ref={} commit={} workflow={} run={}: run not started",
                    run.name(),
                    run.event().ref().ref(),
                    run.commit(),
                    run.workflow().file(),
                    run.runId(),
                    e);
                failIfStillQueued(run.runId(), "the run could not start: " + e.getMessage());
              } finally {
                waiting.remove(run.runId());
              }
            });
    waiting.put(run.runId(), task);
    registered.complete(null);
  }

  private void awaitQuietly(RunHandle handle) {
    try {
      handle.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // the runner logged how it ended
    }
  }

  /** Starts a queued run now that a slot is free; empty when the server stops first. */
  private synchronized Optional<RunHandle> startQueued(Queued run) {
    if (closed.get()) {
      return Optional.empty(); // stays QUEUED: the next start queues it again
    }
    Optional<RunRecord> stored = store.get(run.runId());
    if (stored.isEmpty() || stored.get().status() != RunRecord.RunStatus.QUEUED) {
      return Optional.empty(); // cancelled while it waited
    }
    SortedSet<String> named = run.workflow().secretNames();
    ResolvedSecrets secrets =
        named.isEmpty()
            ? new ResolvedSecrets(Map.of(), new TreeSet<>())
            : parts.secrets().resolve(run.url(), named);
    if (!secrets.missing().isEmpty()) {
      // As on GitHub a secret nobody set reads as ''; the name is worth a line, never a value.
      log.warn(
          "repository={} workflow={} run={}: the workflow names secrets no scope holds, which read"
              + " as '': {} (tagflow secret set NAME --repo <repository>)",
          run.name(),
          run.workflow().file(),
          run.runId(),
          secrets.missing());
    }
    RunRequest request =
        new RunRequest(
            run.runId(),
            run.workflow(),
            run.event(),
            run.name(),
            run.mirror().toString(),
            run.commit(),
            secrets.values(),
            Map.of());
    RunHandle handle =
        runner.start(
            request,
            new EventLog(
                run.name(),
                run.event().ref(),
                run.commit(),
                run.workflow(),
                run.runId(),
                parts.images(),
                secrets.missing()));
    writeSource(run.runId(), run.mirror(), run.url(), run.event().inputs());
    running.put(run.runId(), handle);
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                handle.await();
              } catch (InterruptedException | RuntimeException e) {
                // the runner logged how it ended
              } finally {
                running.remove(run.runId());
              }
            });
    return Optional.of(handle);
  }

  private void failIfStillQueued(String runId, String reason) {
    store
        .get(runId)
        .filter(r -> r.status() == RunRecord.RunStatus.QUEUED)
        .ifPresent(r -> refuseQueued(r, reason));
  }

  /** Ends a queued run that cannot start, with the reason in its log and its record. */
  private void refuseQueued(RunRecord run, String reason) {
    writeRefusalLog(run.runId(), List.of(reason));
    ObjectNode result = JSON.createObjectNode();
    result.put("format", 1);
    result.put("conclusion", "refused");
    result.putArray("refused").add(reason);
    store.finished(run.runId(), RunRecord.RunStatus.FAILURE, clock.instant(), result.toString());
    log.warn(
        "repository={} ref={} commit={} workflow={} run={}: refused: {}",
        run.repository(),
        run.ref(),
        run.commit(),
        run.workflow(),
        run.runId(),
        reason);
  }

  private static RefPush pushOf(String ref) {
    return ref.startsWith("refs/tags/")
        ? RefPush.tag(ref.substring("refs/tags/".length()))
        : RefPush.branch(ref.substring("refs/heads/".length()));
  }

  private void recordRefusal(
      String name, Path mirror, String file, RefPush push, String commit, List<String> reasons) {
    String runId = newRunId();
    Path logFile = writeRefusalLog(runId, reasons);
    writeSource(runId, mirror, "", Map.of());
    Instant now = clock.instant();
    store.started(
        new RunRecord(
            runId,
            name,
            file,
            push.ref(),
            commit,
            "push",
            RunRecord.RunStatus.RUNNING,
            now,
            Optional.empty(),
            logFile.toString(),
            Optional.empty()));
    ObjectNode result = JSON.createObjectNode();
    result.put("format", 1);
    result.put("conclusion", "refused");
    ArrayNode problems = result.putArray("refused");
    reasons.forEach(problems::add);
    store.finished(runId, RunRecord.RunStatus.FAILURE, now, result.toString());
    log.warn(
        "repository={} ref={} commit={} workflow={} run={}: refused: {}",
        name,
        push.ref(),
        commit,
        file,
        runId,
        String.join("; ", reasons));
  }

  private Path writeRefusalLog(String runId, List<String> reasons) {
    Path directory = runner.directory(runId);
    Path logFile = directory.resolve("log.txt");
    try {
      Files.createDirectories(directory);
      StringBuilder text = new StringBuilder();
      for (String reason : reasons) {
        text.append(
                new LogLine(clock.instant(), "", -1, LogLine.Kind.RUNNER, "refused: " + reason)
                    .format())
            .append(System.lineSeparator());
      }
      Files.writeString(logFile, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the refused run's log " + logFile, e);
    }
    return logFile;
  }

  /** Whether a stored run is a refusal (a failed record that never ran). */
  public static boolean isRefusal(RunRecord run) {
    return run.result().map(r -> r.contains("\"conclusion\":\"refused\"")).orElse(false);
  }

  private static boolean isInterrupted(RunRecord run) {
    return run.status() == RunRecord.RunStatus.INTERRUPTED;
  }

  /** The problems of the refused file at {@code file} (its path, or its name). */
  private static List<String> problemsOf(WorkflowSet set, String file) {
    return set.refused().stream()
        .filter(
            r -> r.file().equals(file) || Path.of(r.file()).getFileName().toString().equals(file))
        .flatMap(r -> r.problems().stream())
        .map(Problem::toString)
        .toList();
  }

  private static List<String> problemLines(List<Problem> problems) {
    return problems.stream().map(Problem::toString).toList();
  }

  private String newRunId() {
    return STAMP.format(clock.instant())
        + "-"
        + ProcessHandle.current().pid()
        + "-"
        + sequence.incrementAndGet();
  }

  /** Notes, for a rerun, the mirror the run read, its repository's URL and its inputs. */
  private void writeSource(String runId, Path mirror, String url, Map<String, String> inputs) {
    try {
      Files.writeString(runner.directory(runId).resolve(SOURCE_FILE), mirror.toString());
      ObjectNode more = JSON.createObjectNode();
      more.put("url", url);
      ObjectNode given = more.putObject("inputs");
      inputs.forEach(given::put);
      Files.writeString(runner.directory(runId).resolve(REQUEST_FILE), more.toString());
    } catch (IOException e) {
      log.warn("run {}: cannot note its repository: {}", runId, e.toString());
    }
  }

  private JsonNode requestOf(String runId) {
    try {
      return JSON.readTree(Files.readString(runner.directory(runId).resolve(REQUEST_FILE)));
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private String urlOf(String runId) {
    String url = requestOf(runId).path("url").asText("");
    return url.isEmpty() ? sourceOf(runId).toString() : url;
  }

  /** The {@code inputs} object of a request, as strings. */
  private static Map<String, String> inputsOf(JsonNode request) {
    Map<String, String> inputs = new LinkedHashMap<>();
    request.path("inputs").properties().forEach(e -> inputs.put(e.getKey(), e.getValue().asText()));
    return inputs;
  }

  private Path sourceOf(String runId) {
    Path file = runner.directory(runId).resolve(SOURCE_FILE);
    try {
      return Path.of(Files.readString(file).strip());
    } catch (IOException e) {
      throw TagflowException.invalidInput(
          "run "
              + runId
              + " has no "
              + file
              + ": it was not started by tagflow server, run it with tagflow workflow run");
    }
  }

  private static Optional<String> resolve(Repository repository, String ref) {
    try {
      return Optional.ofNullable(repository.resolve(ref + "^{commit}")).map(id -> id.name());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + ref, e);
    }
  }

  private static Repository open(Path mirror) {
    try {
      return new FileRepositoryBuilder().setGitDir(mirror.toFile()).setMustExist(true).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the mirror " + mirror, e);
    }
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
   * Cancels the runs whose directory holds a cancel request ({@code tagflow runs cancel}), and
   * answers the command line's requests (dispatch, rerun, cancel of a queued run).
   */
  private void watchRequests() {
    while (!closed.get()) {
      try {
        requests.serve(this::answer);
      } catch (RuntimeException e) {
        log.warn("the command line's requests could not be answered: {}", e.toString());
      }
      for (Map.Entry<String, RunHandle> run : running.entrySet()) {
        Path request = runner.directory(run.getKey()).resolve(CANCEL_FILE);
        if (Files.exists(request)) {
          String by;
          try {
            by = Files.readString(request).strip();
            Files.delete(request);
          } catch (IOException e) {
            by = "tagflow runs cancel";
          }
          log.info("run={}: cancel requested ({})", run.getKey(), by);
          run.getValue().cancel(by.isEmpty() ? "tagflow runs cancel" : by);
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Does what the command line asked and says how it went. */
  private ObjectNode answer(JsonNode request) {
    String kind = request.path("kind").asText();
    ObjectNode answer = JSON.createObjectNode();
    switch (kind) {
      case "dispatch" -> {
        Map<String, String> inputs = inputsOf(request);
        answer.put(
            "run",
            dispatch(
                request.path("repository").asText(),
                request.path("ref").asText(),
                request.path("workflow").asText(),
                inputs));
      }
      case "rerun" -> {
        String runId = request.path("run").asText();
        RunRecord run =
            store
                .get(runId)
                .orElseThrow(() -> TagflowException.invalidInput("there is no run " + runId));
        answer.put("run", rerun(run, request.path("force").asBoolean(false)));
      }
      case "cancel" -> {
        String runId = request.path("run").asText();
        answer.put("run", runId);
        answer.put(
            "cancelled", cancelQueued(runId, request.path("by").asText("tagflow runs cancel")));
      }
      default -> throw TagflowException.invalidInput("unknown request '" + kind + "'");
    }
    return answer;
  }

  /** Cancels a run that waits for its turn; false when it is not waiting (it started or ended). */
  private synchronized boolean cancelQueued(String runId, String by) {
    Future<?> task = waiting.remove(runId);
    boolean cancelled =
        store
            .get(runId)
            .filter(r -> r.status() == RunRecord.RunStatus.QUEUED)
            .map(
                r -> {
                  writeRefusalLog(runId, List.of());
                  ObjectNode result = JSON.createObjectNode();
                  result.put("format", 1);
                  result.put("conclusion", "cancelled");
                  result.put("error", "cancelled before it started (" + by + ")");
                  return store.finished(
                      runId, RunRecord.RunStatus.CANCELLED, clock.instant(), result.toString());
                })
            .orElse(false);
    if (task != null) {
      task.cancel(false);
    }
    if (cancelled) {
      log.info("run={}: cancelled while queued ({})", runId, by);
    }
    return cancelled;
  }

  /**
   * Stops: no new run starts, the running ones are cancelled (their process trees killed) and
   * recorded as interrupted, so they can be run again.
   *
   * @return whether they ended within the grace period
   */
  public boolean close(Duration grace) {
    closed.set(true);
    runs.shutdownNow();
    cancelWatch.shutdownNow();
    recording.stopping();
    List<RunHandle> handles = List.copyOf(running.values());
    handles.forEach(h -> h.cancel("interrupted: Tagflow server stopping"));
    long deadline = System.nanoTime() + grace.toNanos();
    for (RunHandle handle : handles) {
      while (!handle.done() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    try {
      runs.awaitTermination(Math.max(1, grace.toMillis() / 10), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return handles.stream().allMatch(RunHandle::done);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(20));
  }

  /** The data directory's runs. */
  public Path runsDirectory() {
    return dataDir.resolve("runs");
  }

  /**
   * One log line per run event with repository, ref, commit, workflow and run id; at the end, the
   * images the run's {@code tagflow/image} steps pushed are recorded.
   */
  private record EventLog(
      String repository,
      RefPush push,
      String commit,
      Workflow workflow,
      String runId,
      BuiltImageStore images,
      SortedSet<String> missingSecrets)
      implements RunListener {
    @Override
    public void line(LogLine line) {}

    @Override
    public void jobFinished(dev.tagflow.pipeline.run.JobResult job) {
      log.info(
          "repository={} ref={} commit={} workflow={} run={}: job {} {}",
          repository,
          push.ref(),
          commit,
          workflow.file(),
          runId,
          job.key(),
          job.conclusion().word());
    }

    @Override
    public void runFinished(RunResult run) {
      List<BuiltImage> pushed = pushedImages(run, workflow, repository, push.ref(), commit);
      if (!pushed.isEmpty()) {
        try {
          images.record(pushed);
          pushed.forEach(
              image ->
                  log.info(
                      "repository={} ref={} commit={} run={}: image {} {} recorded",
                      repository,
                      push.ref(),
                      commit,
                      runId,
                      image.image(),
                      image.digest()));
        } catch (RuntimeException e) {
          log.error("run={}: the images it pushed could not be recorded", runId, e);
        }
      }
      log.info(
          "repository={} ref={} commit={} workflow={} run={}: {}",
          repository,
          push.ref(),
          commit,
          workflow.file(),
          runId,
          run.conclusion().word());
    }
  }

  /** The images the {@code tagflow/image} steps of a run pushed, from their outputs. */
  static List<BuiltImage> pushedImages(
      RunResult run, Workflow workflow, String repository, String ref, String commit) {
    List<BuiltImage> pushed = new ArrayList<>();
    for (JobResult job : run.jobs()) {
      Job declared = workflow.jobs().get(job.id());
      if (declared == null) {
        continue;
      }
      for (StepResult step : job.steps()) {
        boolean image =
            declared.steps().stream()
                .anyMatch(
                    s ->
                        s.index() == step.index()
                            && s.action() instanceof StepAction.Uses uses
                            && uses.action() instanceof ActionRef.BuiltIn builtIn
                            && builtIn.action() == BuiltInAction.IMAGE);
        String digest = step.outputs().getOrDefault("digest", "");
        if (image && step.conclusion() == Conclusion.SUCCESS && digest.startsWith("sha256:")) {
          String tags = step.outputs().getOrDefault("tags", "");
          pushed.add(
              new BuiltImage(
                  run.runId(),
                  repository,
                  ref,
                  commit,
                  step.outputs().getOrDefault("image", ""),
                  digest,
                  tags.isEmpty() ? List.of() : List.of(tags.split(",")),
                  step.finished()));
        }
      }
    }
    return pushed;
  }

  /**
   * The runner's store, which records a run cancelled because the server stops as interrupted: it
   * did not fail, it can be run again.
   */
  private static final class StoppingStore implements RunStore {
    private final RunStore store;
    private volatile boolean stopping;

    StoppingStore(RunStore store) {
      this.store = store;
    }

    void stopping() {
      stopping = true;
    }

    @Override
    public void started(RunRecord run) {
      store.started(run);
    }

    @Override
    public boolean finished(String runId, RunRecord.RunStatus status, Instant at, String result) {
      RunRecord.RunStatus recorded =
          stopping && status == RunRecord.RunStatus.CANCELLED
              ? RunRecord.RunStatus.INTERRUPTED
              : status;
      return store.finished(runId, recorded, at, result);
    }

    @Override
    public Optional<RunRecord> get(String runId) {
      return store.get(runId);
    }

    @Override
    public List<RunRecord> forRef(String repository, String workflow, String ref) {
      return store.forRef(repository, workflow, ref);
    }

    @Override
    public List<RunRecord> latest(int limit) {
      return store.latest(limit);
    }

    @Override
    public List<String> markInterrupted(Instant at) {
      return store.markInterrupted(at);
    }

    @Override
    public void queued(RunRecord run, String request) {
      store.queued(run, request);
    }

    @Override
    public List<QueuedRun> queuedRuns() {
      return store.queuedRuns();
    }

    @Override
    public List<String> running() {
      return store.running();
    }
  }
}
