package dev.tagflow.server.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.app.Problem;
import dev.tagflow.pipeline.action.ActionSource;
import dev.tagflow.pipeline.run.BuiltInSettings;
import dev.tagflow.pipeline.run.LogLine;
import dev.tagflow.pipeline.run.PipelineRunner;
import dev.tagflow.pipeline.run.RunEvent;
import dev.tagflow.pipeline.run.RunHandle;
import dev.tagflow.pipeline.run.RunListener;
import dev.tagflow.pipeline.run.RunRequest;
import dev.tagflow.pipeline.run.RunResult;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.pipeline.workflow.Workflow;
import dev.tagflow.pipeline.workflow.WorkflowLoader;
import dev.tagflow.pipeline.workflow.WorkflowSet;
import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.TreeReader;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * tag is refused and recorded unless forced).
 */
public final class PipelineService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PipelineService.class);

  /** The file in a run's directory naming the mirror the run read, for {@code runs rerun}. */
  public static final String SOURCE_FILE = "source.txt";

  /** The file in a running run's directory that asks the server to cancel it. */
  public static final String CANCEL_FILE = "cancel-requested";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path dataDir;
  private final Function<String, Path> mirrors;
  private final RunStore store;
  private final StoppingStore recording;
  private final PipelineRunner runner;
  private final Clock clock;
  private final ExecutorService runs;
  private final Map<String, RunHandle> running = new ConcurrentHashMap<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final AtomicLong sequence = new AtomicLong();
  private final ExecutorService cancelWatch =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param mirrors the bare mirror of a repository URL (the repository cache's)
   * @param maxRuns how many runs may go at once; more wait their turn
   * @param maxJobs how many jobs of one run may go at once
   * @param promotions the writer the runs' {@code tagflow/promote} steps promote with
   */
  public PipelineService(
      Path dataDir,
      Function<String, Path> mirrors,
      RunStore store,
      int maxRuns,
      int maxJobs,
      Clock clock,
      Optional<EnvRepoWriter> promotions) {
    this(
        dataDir,
        mirrors,
        store,
        maxRuns,
        maxJobs,
        clock,
        promotions,
        BuiltInSettings.defaults(),
        new ActionSource(
            dataDir, ActionSource.DEFAULT_BASE, RemoteAccess.anonymous(new SimpleMeterRegistry())));
  }

  /**
   * @param builtIns the JDK folders of {@code actions/setup-java} and the cache limit of {@code
   *     actions/cache}
   * @param actions where the runs' remote actions ({@code uses: owner/repo@ref}) are fetched from
   */
  public PipelineService(
      Path dataDir,
      Function<String, Path> mirrors,
      RunStore store,
      int maxRuns,
      int maxJobs,
      Clock clock,
      Optional<EnvRepoWriter> promotions,
      BuiltInSettings builtIns,
      ActionSource actions) {
    this.dataDir = dataDir;
    this.mirrors = mirrors;
    this.store = store;
    this.recording = new StoppingStore(store);
    this.runner =
        new PipelineRunner(
            dataDir, maxJobs, Optional.of(recording), clock, promotions, builtIns, actions);
    this.clock = clock;
    this.runs = Executors.newFixedThreadPool(maxRuns, Thread.ofVirtual().factory());
  }

  /** Marks the runs a stopped server left running as interrupted (their logs kept). */
  public List<String> start() {
    List<String> interrupted = runner.markInterrupted();
    cancelWatch.submit(this::watchCancelRequests);
    return interrupted;
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
    Path mirror = mirrors.apply(change.repository());
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
      submit(name, mirror, workflow, push.get(), commit, false);
    }
  }

  /**
   * Runs a recorded run's workflow again, at its commit; with {@code force} also a refused one (a
   * moved tag) and a tag that has run at another commit since.
   *
   * @return the handle of the new run
   */
  public RunHandle rerun(RunRecord run, boolean force) {
    if (run.status() == RunRecord.RunStatus.RUNNING) {
      throw TagflowException.invalidInput(
          "run " + run.runId() + " is still running; cancel it first (tagflow runs cancel)");
    }
    Path mirror = sourceOf(run.runId());
    RefPush push =
        run.ref().startsWith("refs/tags/")
            ? RefPush.tag(run.ref().substring("refs/tags/".length()))
            : RefPush.branch(run.ref().substring("refs/heads/".length()));
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
      WorkflowSet set =
          new WorkflowLoader().load(new TreeReader(repository, run.repository(), commit, ""));
      workflow =
          set.workflows().stream()
              .filter(w -> w.file().equals(run.workflow()))
              .findFirst()
              .orElseThrow(
                  () ->
                      TagflowException.invalidInput(
                          run.workflow()
                              + " at "
                              + run.commit()
                              + " cannot run: "
                              + set.problems().stream().map(Problem::toString).toList()));
    }
    return startRun(run.repository(), mirror, workflow, push, commit, force, true)
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

  private void submit(
      String name, Path mirror, Workflow workflow, RefPush push, String commit, boolean force) {
    String key = name + " " + push.ref() + " " + workflow.file();
    if (!queued.add(key + " " + commit)) {
      log.info(
          "repository={} ref={} commit={} workflow={}: already queued, not run twice",
          name,
          push.ref(),
          commit,
          workflow.file());
      return;
    }
    runs.submit(
        () -> {
          try {
            Optional<RunHandle> handle =
                startRun(name, mirror, workflow, push, commit, force, false);
            if (handle.isPresent()) {
              handle.get().await();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (RuntimeException e) {
            log.error(
                "repository={} ref={} commit={} workflow={}: run not started",
                name,
                push.ref(),
                commit,
                workflow.file(),
                e);
          } finally {
            queued.remove(key + " " + commit);
          }
        });
  }

  /**
   * Starts a run unless one ran at this commit (empty; a rerun skips that check) or the tag ran at
   * another commit (refused and recorded, empty).
   */
  private synchronized Optional<RunHandle> startRun(
      String name,
      Path mirror,
      Workflow workflow,
      RefPush push,
      String commit,
      boolean force,
      boolean rerun) {
    if (closed.get()) {
      return Optional.empty();
    }
    List<RunRecord> earlier = store.forRef(name, workflow.file(), push.ref());
    if (!force) {
      boolean ranThisCommit =
          !rerun
              && earlier.stream()
                  .anyMatch(r -> r.commit().equals(commit) && !isRefusal(r) && !isInterrupted(r));
      if (ranThisCommit) {
        log.info(
            "repository={} ref={} commit={} workflow={}: ran already for this commit, not again",
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
    RunRequest request =
        new RunRequest(
            runId,
            workflow,
            RunEvent.push(push),
            name,
            mirror.toString(),
            commit,
            Map.of(),
            Map.of());
    RunHandle handle = runner.start(request, new EventLog(name, push, commit, workflow, runId));
    writeSource(runId, mirror);
    running.put(runId, handle);
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                handle.await();
              } catch (InterruptedException | RuntimeException e) {
                // the runner logged how it ended
              } finally {
                running.remove(runId);
              }
            });
    return Optional.of(handle);
  }

  private void recordRefusal(
      String name, Path mirror, String file, RefPush push, String commit, List<String> reasons) {
    String runId = newRunId();
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
    writeSource(runId, mirror);
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

  /** Whether a stored run is a refusal (a failed record that never ran). */
  public static boolean isRefusal(RunRecord run) {
    return run.result().map(r -> r.contains("\"conclusion\":\"refused\"")).orElse(false);
  }

  private static boolean isInterrupted(RunRecord run) {
    return run.status() == RunRecord.RunStatus.INTERRUPTED;
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

  private void writeSource(String runId, Path mirror) {
    try {
      Files.writeString(runner.directory(runId).resolve(SOURCE_FILE), mirror.toString());
    } catch (IOException e) {
      log.warn("run {}: cannot note its repository: {}", runId, e.toString());
    }
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

  /** Cancels the runs whose directory holds a cancel request ({@code tagflow runs cancel}). */
  private void watchCancelRequests() {
    while (!closed.get()) {
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

  /** One log line per run event with repository, ref, commit, workflow and run id. */
  private record EventLog(
      String repository, RefPush push, String commit, Workflow workflow, String runId)
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
  }
}
