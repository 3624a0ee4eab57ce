package dev.tagflow.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A keyed work queue: the worker runs for one key at a time, on at most {@code concurrency} virtual
 * threads at once.
 *
 * <ul>
 *   <li>Requests for a key that is waiting to run collapse into that one run.
 *   <li>A request that arrives while the key runs makes exactly one more run afterwards, however
 *       many arrive: whatever the running one read may be stale, and one more run sees it all.
 *   <li>A delayed request ({@link #addAfter}) runs the key when it is due; a key keeps only its
 *       earliest due time, so a retry in 5 s and a resync in 3 min make one run in 5 s (and that
 *       run schedules what comes next).
 *   <li>{@link #close} stops taking requests, lets the running keys finish, and waits a bounded
 *       time for them.
 *   <li>A run that goes on for {@link #LONG_RUN} is logged once, with where its thread is: a run
 *       advances its sync a step and ends, so one that does not end is stuck somewhere, and the log
 *       says where without a thread dump.
 * </ul>
 *
 * <p>Time comes from the clock given, so tests move it by hand and call {@link #clockMoved()}; the
 * queue never sleeps a fixed time, it waits for the earliest due key or a new request.
 */
public final class WorkQueue implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);

  /** How long a run goes on before it is logged with its thread's stack. */
  static final Duration LONG_RUN = Duration.ofMinutes(2);

  /** The frames of a long run's stack the log line shows, innermost first. */
  private static final int FRAMES_SHOWN = 24;

  /** A key's run: its thread, since when, and whether it was logged as long. */
  private static final class Run {
    final Thread thread;
    final Instant since;
    boolean reported;

    Run(Thread thread, Instant since) {
      this.thread = thread;
      this.since = since;
    }
  }

  /** Where a key stands. */
  private enum State {
    QUEUED,
    RUNNING,
    /** Running, and asked for again while it ran: runs once more when it ends. */
    RUNNING_AGAIN
  }

  private final String name;
  private final Consumer<String> worker;
  private final int concurrency;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, State> states = new HashMap<>();
  private final Deque<String> ready = new ArrayDeque<>();
  private final DelayedKeys delayed = new DelayedKeys();
  private final Map<String, Run> runs = new HashMap<>();

  /** When the timer wakes next by itself; null while it waits for a signal only. */
  private Instant timerWakesAt;

  private final List<Thread> threads = new ArrayList<>();
  private int running;
  private boolean started;
  private boolean closing;

  /**
   * @param name for thread names and logs
   * @param worker what to do for a key; an exception it throws is logged and the key is free again
   * @param concurrency how many keys run at once
   * @param clock when delayed keys are due
   */
  public WorkQueue(String name, Consumer<String> worker, int concurrency, Clock clock) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
    }
    this.name = Objects.requireNonNull(name, "name");
    this.worker = Objects.requireNonNull(worker, "worker");
    this.concurrency = concurrency;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Starts the workers and the timer of delayed keys; requests made before start wait for it. */
  public void start() {
    lock.lock();
    try {
      if (started) {
        return;
      }
      started = true;
      for (int i = 0; i < concurrency; i++) {
        threads.add(Thread.ofVirtual().name(name + "-worker-" + i).start(this::work));
      }
      threads.add(Thread.ofVirtual().name(name + "-timer").start(this::promoteDue));
    } finally {
      lock.unlock();
    }
  }

  /** Runs the key as soon as a worker is free (once, however often it is asked for meanwhile). */
  public void add(String key) {
    lock.lock();
    try {
      if (closing) {
        return;
      }
      delayed.remove(key);
      State state = states.get(key);
      if (state == null) {
        states.put(key, State.QUEUED);
        ready.addLast(key);
        changed.signalAll();
      } else if (state == State.RUNNING) {
        states.put(key, State.RUNNING_AGAIN);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs the key once {@code delay} has passed, unless it is due earlier already. A key that is
   * queued or running is left as it is: its run schedules what comes next.
   */
  public void addAfter(String key, Duration delay) {
    if (delay.isNegative() || delay.isZero()) {
      add(key);
      return;
    }
    lock.lock();
    try {
      if (closing) {
        return;
      }
      State state = states.get(key);
      if (state == State.QUEUED || state == State.RUNNING_AGAIN) {
        return;
      }
      if (delayed.offer(key, clock.instant().plus(delay))) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Forgets the key's delayed run, if any (an application that was removed). */
  public void cancel(String key) {
    lock.lock();
    try {
      delayed.remove(key);
    } finally {
      lock.unlock();
    }
  }

  /** When the key is due next, if it has a delayed run. */
  public Optional<Instant> dueAt(String key) {
    lock.lock();
    try {
      return delayed.dueAt(key);
    } finally {
      lock.unlock();
    }
  }

  /** How many keys wait for a worker (not counting delayed ones). */
  public int depth() {
    lock.lock();
    try {
      return ready.size();
    } finally {
      lock.unlock();
    }
  }

  /** How many keys run right now. */
  public int running() {
    lock.lock();
    try {
      return running;
    } finally {
      lock.unlock();
    }
  }

  /** Says that the clock jumped (tests move it by hand): due keys are looked at again now. */
  public void clockMoved() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void work() {
    while (true) {
      String key;
      lock.lock();
      try {
        while (ready.isEmpty() && !closing) {
          changed.awaitUninterruptibly();
        }
        if (closing) {
          return;
        }
        key = ready.pollFirst();
        states.put(key, State.RUNNING);
        Instant now = clock.instant();
        runs.put(key, new Run(Thread.currentThread(), now));
        running++;
        if (timerWakesAt == null || timerWakesAt.isAfter(now.plus(LONG_RUN))) {
          changed.signalAll(); // the timer must look at this run before it would wake
        }
      } finally {
        lock.unlock();
      }
      try {
        worker.accept(key);
      } catch (RuntimeException e) {
        // The worker reports its own failures; one that escapes must not kill this thread.
        log.error("{}: the run of {} failed unexpectedly", name, key, e);
      } finally {
        finished(key);
      }
    }
  }

  private void finished(String key) {
    lock.lock();
    try {
      running--;
      runs.remove(key);
      if (states.get(key) == State.RUNNING_AGAIN && !closing) {
        states.put(key, State.QUEUED);
        ready.addLast(key);
      } else {
        states.remove(key);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Moves due keys to the ready queue, waiting until the next one is due or anything changes. */
  private void promoteDue() {
    lock.lock();
    try {
      while (!closing) {
        Instant now = clock.instant();
        List<String> due = delayed.takeDue(now);
        for (String key : due) {
          State state = states.get(key);
          if (state == null) {
            states.put(key, State.QUEUED);
            ready.addLast(key);
          } else if (state == State.RUNNING) {
            states.put(key, State.RUNNING_AGAIN);
          }
        }
        if (!due.isEmpty()) {
          changed.signalAll();
        }
        reportLongRuns(now);
        Optional<Instant> next = earliest(delayed.next(), nextLongRun());
        timerWakesAt = next.orElse(null);
        try {
          if (next.isEmpty()) {
            changed.await();
          } else {
            long nanos = Duration.between(now, next.get()).toNanos();
            if (nanos > 0) {
              changed.awaitNanos(nanos);
            }
          }
        } catch (InterruptedException e) {
          return;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Logs, once each, the runs that have gone on for {@link #LONG_RUN} by {@code now}. */
  private void reportLongRuns(Instant now) {
    runs.forEach(
        (key, run) -> {
          Duration took = Duration.between(run.since, now);
          if (!run.reported && took.compareTo(LONG_RUN) >= 0) {
            run.reported = true;
            log.warn(
                "{}: the run of {} has gone on for {} s; its thread {} is at {}",
                name,
                key,
                took.toSeconds(),
                run.thread.getName(),
                where(run.thread));
          }
        });
  }

  /** When the next run not yet reported becomes long. */
  private Optional<Instant> nextLongRun() {
    return runs.values().stream()
        .filter(run -> !run.reported)
        .map(run -> run.since.plus(LONG_RUN))
        .min(Instant::compareTo);
  }

  private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
  }

  /** A thread's stack on one line, innermost frame first. */
  static String where(Thread thread) {
    StackTraceElement[] frames = thread.getStackTrace();
    if (frames.length == 0) {
      return "(no stack: " + thread.getState() + ")";
    }
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < Math.min(frames.length, FRAMES_SHOWN); i++) {
      line.append(i == 0 ? "" : " < ").append(frames[i]);
    }
    if (frames.length > FRAMES_SHOWN) {
      line.append(" < … ").append(frames.length - FRAMES_SHOWN).append(" more");
    }
    return line.toString();
  }

  /**
   * Stops taking requests and running queued keys, and waits up to {@code grace} for the running
   * ones to end; those still running then are interrupted.
   *
   * @return whether every running key ended within the grace period
   */
  public boolean close(Duration grace) {
    List<Thread> all;
    lock.lock();
    try {
      closing = true;
      ready.clear();
      changed.signalAll();
      all = List.copyOf(threads);
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    boolean ended = true;
    for (Thread thread : all) {
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
          ended = false;
          thread.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    if (!ended) {
      log.warn("{}: runs still going after {} s were interrupted", name, grace.toSeconds());
    }
    return ended;
  }

  /** Closes with a 10 s grace period. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /** Awaits, for tests, until no key is queued or running (delayed keys aside). */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (!ready.isEmpty() || running > 0) {
        if (nanos <= 0) {
          return false;
        }
        nanos = changed.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
