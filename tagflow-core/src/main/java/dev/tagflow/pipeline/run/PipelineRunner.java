package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.action.ActionSource;
import dev.tagflow.pipeline.image.ImageBuilder;
import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs release workflows on the Tagflow host: one run is one workflow at one commit for one event,
 * in its own directory {@code <data>/runs/<runId>} (a workspace and temporary directory per job
 * instance, and the run's masked log {@code log.txt}).
 *
 * <pre>{@code
 * PipelineRunner runner = new PipelineRunner(dataDir, 4);
 * RunHandle run = runner.start(request, line -> System.out.println(line.format()));
 * RunResult result = run.await();   // or run.cancel("by alice")
 * }</pre>
 */
public final class PipelineRunner {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

  /** How long a restart keeps killing what an interrupted run's steps left behind. */
  private static final Duration STRAY_PATIENCE = Duration.ofSeconds(10);

  private final Path runs;
  private final int maxParallelJobs;
  private final Optional<RunStore> store;
  private final Clock clock;
  private final ImageBuilder images;
  private final Optional<EnvRepoWriter> promotions;
  private final HostTools tools;
  private final ActionSource actions;

  /**
   * @param dataDirectory Tagflow's data directory; runs go to its {@code runs} directory
   * @param maxParallelJobs how many job instances of one run may run at once
   */
  public PipelineRunner(Path dataDirectory, int maxParallelJobs) {
    this(dataDirectory, maxParallelJobs, Optional.empty(), Clock.systemUTC());
  }

  /**
   * @param store where runs are recorded when they start and end; empty for runs only in their
   *     directory (tagflow workflow run)
   */
  public PipelineRunner(
      Path dataDirectory, int maxParallelJobs, Optional<RunStore> store, Clock clock) {
    this(dataDirectory, maxParallelJobs, store, clock, Optional.empty());
  }

  /**
   * @param promotions the writer {@code tagflow/promote} steps promote with (its remote access,
   *     credentials and promotion store are the server's); empty fails those steps as not
   *     configured
   */
  public PipelineRunner(
      Path dataDirectory,
      int maxParallelJobs,
      Optional<RunStore> store,
      Clock clock,
      Optional<EnvRepoWriter> promotions) {
    this(dataDirectory, maxParallelJobs, store, clock, promotions, BuiltInSettings.defaults());
  }

  /**
   * @param builtIns the JDK folders of {@code actions/setup-java} and the cache limit of {@code
   *     actions/cache} (whose entries go to {@code <data>/caches})
   */
  public PipelineRunner(
      Path dataDirectory,
      int maxParallelJobs,
      Optional<RunStore> store,
      Clock clock,
      Optional<EnvRepoWriter> promotions,
      BuiltInSettings builtIns) {
    this(
        dataDirectory,
        maxParallelJobs,
        store,
        clock,
        promotions,
        builtIns,
        new ActionSource(
            dataDirectory,
            ActionSource.DEFAULT_BASE,
            RemoteAccess.anonymous(new SimpleMeterRegistry())));
  }

  /**
   * @param builtIns the JDK folders of {@code actions/setup-java} and the cache limit of {@code
   *     actions/cache} (whose entries go to {@code <data>/caches})
   * @param actions where the remote actions of {@code uses: owner/repo@ref} steps are fetched from
   *     (and cached)
   */
  public PipelineRunner(
      Path dataDirectory,
      int maxParallelJobs,
      Optional<RunStore> store,
      Clock clock,
      Optional<EnvRepoWriter> promotions,
      BuiltInSettings builtIns,
      ActionSource actions) {
    if (maxParallelJobs < 1) {
      throw new IllegalArgumentException("maxParallelJobs must be at least 1: " + maxParallelJobs);
    }
    this.runs = dataDirectory.resolve("runs");
    this.maxParallelJobs = maxParallelJobs;
    this.store = store;
    this.clock = clock;
    // tagflow/image keeps base and application layers here between runs.
    this.images = new ImageBuilder(dataDirectory.resolve("image-cache"));
    this.promotions = promotions;
    this.tools =
        new HostTools(
            new CacheStore(dataDirectory.resolve("caches"), builtIns.cacheLimitBytes(), clock),
            new JdkCatalog(builtIns.jdkFolders()));
    this.actions = actions;
  }

  /**
   * Marks the runs the store has as running, which no runner of this process started, as
   * interrupted, and says so at the end of each one's log. Call once at start.
   */
  public List<String> markInterrupted() {
    if (store.isEmpty()) {
      return List.of();
    }
    // What their steps left running dies first: a process of an interrupted run must not go on
    // pushing or promoting while the run reads as over.
    Map<String, List<StrayProcesses.Killed>> killed = new LinkedHashMap<>();
    for (String id : store.get().running()) {
      List<StrayProcesses.Killed> strays;
      try {
        strays = new StrayProcesses().kill(id, STRAY_PATIENCE);
      } catch (UncheckedIOException e) {
        LOG.error(
            "run {}: cannot look for the processes its steps left running: {}", id, e.toString());
        strays = List.of();
      }
      killed.put(id, strays);
      for (StrayProcesses.Killed stray : strays) {
        LOG.info(
            "run {}: killed process {} ({}) its steps left running when Tagflow stopped",
            id,
            stray.pid(),
            stray.command());
      }
    }
    // Each log says so before the store does: whoever sees the run ended (a `runs logs -f`
    // follows until then) finds its last line written.
    for (Map.Entry<String, List<StrayProcesses.Killed>> run : killed.entrySet()) {
      StringBuilder lines = new StringBuilder();
      for (StrayProcesses.Killed stray : run.getValue()) {
        lines.append(
            runnerLine(
                "killed process "
                    + stray.pid()
                    + " ("
                    + stray.command()
                    + ") left running when Tagflow stopped"));
      }
      lines.append(runnerLine("interrupted: Tagflow stopped while the run went on"));
      Path log = runs.resolve(run.getKey()).resolve("log.txt");
      try {
        if (Files.exists(log)) {
          Files.writeString(log, lines, StandardOpenOption.APPEND);
        }
      } catch (IOException e) {
        LOG.warn("run {}: cannot write to its log {}: {}", run.getKey(), log, e.toString());
      }
    }
    List<String> ids = store.get().markInterrupted(clock.instant());
    for (String id : ids) {
      deleteStepScripts(runs.resolve(id));
      LOG.info("run {}: interrupted by a restart", id);
    }
    return ids;
  }

  /** One line of a run's log written by the runner itself, as of now. */
  private String runnerLine(String text) {
    return new LogLine(clock.instant(), "", -1, LogLine.Kind.RUNNER, text).format()
        + System.lineSeparator();
  }

  /**
   * Deletes the scripts of a run's steps that a killed process left (each holds its step's
   * expressions rendered, secrets in clear; a step that ends deletes its own).
   */
  private static void deleteStepScripts(Path run) {
    Path jobs = run.resolve("jobs");
    if (!Files.isDirectory(jobs)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(jobs, 3)) {
      for (Path file : files.toList()) {
        if (file.getParent().getFileName().toString().equals("temp")
            && file.getFileName().toString().startsWith("step-")) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("run {}: cannot delete its steps' scripts: {}", run.getFileName(), e.toString());
    }
  }

  /** The directory of a run. */
  public Path directory(String runId) {
    return runs.resolve(runId);
  }

  /**
   * Starts a run on its own thread.
   *
   * @throws IllegalStateException when a run of that id exists already (one run per id)
   */
  public RunHandle start(RunRequest request, RunListener... listeners) {
    Path directory = runs.resolve(request.runId());
    Path logFile = directory.resolve("log.txt");
    try {
      Files.createDirectories(runs);
      Files.createDirectory(directory);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException(
          "run " + request.runId() + " exists already in " + runs + "; a run id is used once");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the run's directory " + directory, e);
    }
    if (store.isPresent()) {
      try {
        store.get().started(record(request, logFile));
      } catch (RuntimeException e) {
        try {
          Files.deleteIfExists(directory);
        } catch (IOException ignored) {
          // the empty directory stays; the run was not started
        }
        throw e;
      }
    }
    MaskedValues mask = new MaskedValues();
    request.secrets().values().forEach(mask::add);
    RunLog log = new RunLog(logFile, mask, List.of(listeners), clock);
    Cancellation cancellation = new Cancellation();
    RunScope scope =
        new RunScope(
            request,
            directory,
            log,
            cancellation,
            RunScope.hostEnvironment(),
            images,
            promotions,
            tools,
            actions);
    CompletableFuture<RunResult> result = new CompletableFuture<>();
    AtomicBoolean interrupted = new AtomicBoolean();
    LOG.info(
        "run {} of {}: {} for {} at {} started",
        request.runId(),
        request.repository(),
        request.workflow().file(),
        request.event().ref().ref(),
        request.commit());
    Thread.ofVirtual()
        .name("run-" + request.runId())
        .start(
            () -> {
              try (log) {
                RunResult done = new RunExecution(scope, maxParallelJobs).run();
                RunRecord.RunStatus status = RunRecord.RunStatus.valueOf(done.conclusion().name());
                RunRecord.RunStatus recorded =
                    interrupted.get() && status == RunRecord.RunStatus.CANCELLED
                        ? RunRecord.RunStatus.INTERRUPTED
                        : status;
                store.ifPresent(
                    s -> s.finished(done.runId(), recorded, done.finished(), RunDocument.of(done)));
                log.runFinished(done);
                LOG.info(
                    "run {} of {}: {}",
                    request.runId(),
                    request.repository(),
                    done.conclusion().word());
                result.complete(done);
              } catch (RuntimeException | Error e) {
                store.ifPresent(
                    s ->
                        s.finished(
                            request.runId(),
                            RunRecord.RunStatus.FAILURE,
                            clock.instant(),
                            "{\"format\":1,\"error\":\"the runner failed\"}"));
                LOG.error(
                    "run {} of {}: the runner failed", request.runId(), request.repository(), e);
                result.completeExceptionally(e);
              }
            });
    return new RunHandle(request.runId(), log.file(), cancellation, result, interrupted);
  }

  private RunRecord record(RunRequest request, Path logFile) {
    return new RunRecord(
        request.runId(),
        request.repository(),
        request.workflow().file(),
        request.event().ref().ref(),
        request.commit(),
        request.event().name(),
        RunRecord.RunStatus.RUNNING,
        clock.instant(),
        Optional.empty(),
        logFile.toString(),
        Optional.empty());
  }

  /** Starts a run and waits for it. */
  public RunResult run(RunRequest request, RunListener... listeners) throws InterruptedException {
    return start(request, listeners).await();
  }
}
