package dev.tagflow.server.pipeline;

import dev.tagflow.pipeline.run.PipelineRunner;
import dev.tagflow.pipeline.run.RunEvent;
import dev.tagflow.pipeline.run.RunHandle;
import dev.tagflow.pipeline.run.RunRequest;
import dev.tagflow.pipeline.workflow.Workflow;
import dev.tagflow.secret.ResolvedSecrets;
import dev.tagflow.store.BuiltImageStore;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import java.nio.file.Path;
import java.time.Duration;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slots queued runs wait for: a run stored QUEUED starts when one is free, with the secrets its
 * workflow names, unless it was cancelled while it waited or the server stops first.
 */
final class RunSlots {

  private static final Logger log = LoggerFactory.getLogger(PipelineService.class);

  /** A run stored QUEUED, to start once a slot is free. */
  record Ticket(
      String runId,
      String name,
      String url,
      Path mirror,
      Workflow workflow,
      RunEvent event,
      String commit) {}

  private final PipelineRunner runner;
  private final RunStore store;
  private final RunSecrets secrets;
  private final BuiltImageStore images;
  private final RunSources sources;
  private final RunRefusals refusals;
  private final Runnable started;
  private final ExecutorService pool;
  private final Map<String, RunHandle> running = new ConcurrentHashMap<>();
  private final Map<String, Future<?>> waiting = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  RunSlots(
      int slots,
      PipelineRunner runner,
      RunStore store,
      RunSecrets secrets,
      BuiltImageStore images,
      RunSources sources,
      RunRefusals refusals,
      Runnable started) {
    this.runner = runner;
    this.store = store;
    this.secrets = secrets;
    this.images = images;
    this.sources = sources;
    this.refusals = refusals;
    this.started = started;
    this.pool = Executors.newFixedThreadPool(slots, Thread.ofVirtual().factory());
  }

  /** Whether the server stops: nothing new is queued or started. */
  boolean closed() {
    return closed.get();
  }

  /** The runs going now, by id. */
  Map<String, RunHandle> running() {
    return running;
  }

  /** Hands a run stored QUEUED to the pool; it starts when a slot is free. */
  void enqueue(Ticket run) {
    // Registered before it is submitted, so that the task's own removal comes after.
    CompletableFuture<Void> registered = new CompletableFuture<>();
    Future<?> task =
        pool.submit(
            () -> {
              try {
                registered.join();
                start(run).ifPresent(RunSlots::awaitQuietly);
              } catch (RuntimeException e) {
                log.error(
                    "repository={} ref={} commit={} workflow={} run={}: run not started",
                    run.name(),
                    run.event().ref().ref(),
                    run.commit(),
                    run.workflow().file(),
                    run.runId(),
                    e);
                refusals.failIfStillQueued(
                    run.runId(), "the run could not start: " + e.getMessage());
              } finally {
                waiting.remove(run.runId());
              }
            });
    waiting.put(run.runId(), task);
    registered.complete(null);
  }

  /** Cancels a run that waits for its turn; false when it is not waiting (it started or ended). */
  synchronized boolean cancelQueued(String runId, String by) {
    Future<?> task = waiting.remove(runId);
    boolean cancelled = refusals.cancelQueued(runId, by);
    if (task != null) {
      task.cancel(false);
    }
    if (cancelled) {
      log.info("run={}: cancelled while queued ({})", runId, by);
    }
    return cancelled;
  }

  /** No run starts any more, the waiting ones stay QUEUED for the next start. */
  void shutdown() {
    closed.set(true);
    pool.shutdownNow();
  }

  /**
   * Interrupts the running runs with {@code reason} (their process trees killed, recorded as
   * interrupted) and waits for them.
   *
   * @return whether they ended within {@code grace}
   */
  boolean interruptRunning(String reason, Duration grace) {
    List<RunHandle> handles = List.copyOf(running.values());
    handles.forEach(h -> h.interrupt(reason));
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      for (RunHandle handle : handles) {
        handle.awaitEnd(Duration.ofNanos(deadline - System.nanoTime()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    try {
      pool.awaitTermination(Math.max(1, grace.toMillis() / 10), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return handles.stream().allMatch(RunHandle::done);
  }

  private static void awaitQuietly(RunHandle handle) {
    try {
      handle.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      // A run the runner failed on has ended too; the runner logged how.
    }
  }

  /** Starts a queued run now that a slot is free; empty when the server stops first. */
  private synchronized Optional<RunHandle> start(Ticket run) {
    if (closed.get()) {
      return Optional.empty(); // stays QUEUED: the next start queues it again
    }
    Optional<RunRecord> stored = store.get(run.runId());
    if (stored.isEmpty() || stored.get().status() != RunRecord.RunStatus.QUEUED) {
      return Optional.empty(); // cancelled while it waited
    }
    SortedSet<String> named = run.workflow().secretNames();
    ResolvedSecrets resolved =
        named.isEmpty()
            ? new ResolvedSecrets(Map.of(), new TreeSet<>())
            : secrets.resolve(run.url(), named);
    if (!resolved.missing().isEmpty()) {
      // As on GitHub a secret nobody set reads as ''; the name is worth a line, never a value.
      log.warn(
          "repository={} workflow={} run={}: the workflow names secrets no scope holds, which read"
              + " as '': {} (tagflow secret set NAME --repo <repository>)",
          run.name(),
          run.workflow().file(),
          run.runId(),
          resolved.missing());
    }
    RunRequest request =
        new RunRequest(
            run.runId(),
            run.workflow(),
            run.event(),
            run.name(),
            run.mirror().toString(),
            run.commit(),
            resolved.values(),
            Map.of());
    String ref = run.event().ref().ref();
    RunHandle handle =
        runner.start(
            request,
            new BuiltImageRecorder(run.name(), ref, run.commit(), run.workflow(), images),
            new RunEventLog(run.name(), ref, run.commit(), run.workflow().file(), run.runId()));
    sources.write(run.runId(), run.mirror(), run.url(), run.event().inputs());
    running.put(run.runId(), handle);
    started.run();
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
}
