package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WorkQueueTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final List<String> runs = new CopyOnWriteArrayList<>();
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
  private WorkQueue queue;

  @AfterEach
  void close() {
    gates.values().forEach(CountDownLatch::countDown);
    if (queue != null) {
      queue.close(Duration.ofSeconds(5));
    }
  }

  private WorkQueue start(int concurrency, Consumer<String> worker) {
    queue = new WorkQueue("test", worker, concurrency, clock);
    queue.start();
    return queue;
  }

  /** Records the run, then waits at the key's gate if it has one. */
  private void recordAndWait(String key) {
    runs.add(key);
    CountDownLatch gate = gates.get(key);
    if (gate != null) {
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private long runsOf(String key) {
    return runs.stream().filter(key::equals).count();
  }

  @Test
  void requestsArrivingWhileAKeyRunsMakeExactlyOneMoreRun() throws InterruptedException {
    CountDownLatch gate = new CountDownLatch(1);
    gates.put("a", gate);
    start(2, this::recordAndWait);

    queue.add("a");
    await().until(() -> runsOf("a") == 1);
    queue.add("a");
    queue.add("a");
    queue.add("a");
    gates.remove("a");
    gate.countDown();
    await().until(() -> runsOf("a") == 2);
    queue.add("later");
    await().until(() -> runsOf("later") == 1);
    assertThat(queue.awaitIdle(Duration.ofSeconds(5))).isTrue();

    assertThat(runsOf("a")).isEqualTo(2);
  }

  @Test
  void requestsForAQueuedKeyCollapseIntoOneRun() throws InterruptedException {
    CountDownLatch gate = new CountDownLatch(1);
    gates.put("blocker", gate);
    start(1, this::recordAndWait);

    queue.add("blocker");
    await().until(() -> runsOf("blocker") == 1);
    queue.add("b");
    queue.add("b");
    queue.add("b");
    gate.countDown();
    assertThat(queue.awaitIdle(Duration.ofSeconds(5))).isTrue();

    assertThat(runsOf("b")).isEqualTo(1);
  }

  @Test
  void aKeyNeverRunsTwiceAtOnce() throws InterruptedException {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    start(
        4,
        key -> {
          most.accumulateAndGet(inside.incrementAndGet(), Math::max);
          Thread.yield();
          inside.decrementAndGet();
          done.incrementAndGet();
        });

    for (int i = 0; i < 200; i++) {
      queue.add("same");
    }
    await().until(() -> done.get() >= 1);
    assertThat(queue.awaitIdle(Duration.ofSeconds(5))).isTrue();

    assertThat(most.get()).isEqualTo(1);
  }

  @Test
  void noMoreKeysRunAtOnceThanTheConcurrency() throws InterruptedException {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    start(
        2,
        key -> {
          most.accumulateAndGet(inside.incrementAndGet(), Math::max);
          runs.add(key);
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          inside.decrementAndGet();
        });

    for (int i = 0; i < 6; i++) {
      queue.add("k" + i);
    }
    await().until(() -> runs.size() == 2);
    int runningWhileBlocked = queue.running();
    int waitingWhileBlocked = queue.depth();
    release.countDown();
    await().until(() -> runs.size() == 6);
    assertThat(queue.awaitIdle(Duration.ofSeconds(5))).isTrue();

    assertThat(runningWhileBlocked).isEqualTo(2);
    assertThat(waitingWhileBlocked).isEqualTo(4);
    assertThat(most.get()).isEqualTo(2);
  }

  @Test
  void aRunThatGoesOnForTwoMinutesIsLoggedOnceWithWhereItsThreadIs() {
    ListAppender<ILoggingEvent> logged = logged();
    try {
      gates.put("stuck", new CountDownLatch(1));
      start(2, this::recordAndWait);
      queue.add("quick");
      await().until(() -> runsOf("quick") == 1 && queue.running() == 0);
      clock.advance(Duration.ofMinutes(3)); // the quick run ended long before: nothing to say
      queue.clockMoved();

      queue.add("stuck");
      await().until(() -> runsOf("stuck") == 1);
      clock.advance(WorkQueue.LONG_RUN);
      queue.clockMoved();
      await().until(() -> !logged.list.isEmpty());
      clock.advance(Duration.ofMinutes(10));
      queue.clockMoved();
      queue.add("quick");
      await().until(() -> runsOf("quick") == 2 && queue.running() == 1);

      assertThat(logged.list)
          .singleElement()
          .extracting(ILoggingEvent::getFormattedMessage)
          .asString()
          .startsWith("test: the run of stuck has gone on for 120 s; its thread test-worker-")
          .contains("CountDownLatch.await")
          .contains("WorkQueueTest.recordAndWait");
    } finally {
      ((Logger) LoggerFactory.getLogger(WorkQueue.class)).detachAppender(logged);
    }
  }

  @Test
  void whereAThreadIsFitsOnOneLineInnermostFirst() throws InterruptedException {
    CountDownLatch parked = new CountDownLatch(1);
    Thread thread = Thread.ofVirtual().start(() -> deep(40, parked));
    try {
      await().until(() -> thread.getState() == Thread.State.WAITING);

      assertThat(WorkQueue.where(thread))
          .doesNotContain("\n")
          .startsWith("java.base/")
          .contains("WorkQueueTest.deep")
          .matches(".* < … \\d+ more$");
    } finally {
      parked.countDown();
      thread.join();
    }
  }

  private static void deep(int depth, CountDownLatch latch) {
    if (depth > 0) {
      deep(depth - 1, latch);
      return;
    }
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ListAppender<ILoggingEvent> logged() {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    ((Logger) LoggerFactory.getLogger(WorkQueue.class)).addAppender(logged);
    return logged;
  }

  @Test
  void aDelayedKeyRunsWhenItsTimeComesAndNotBefore() {
    start(2, this::recordAndWait);

    queue.addAfter("slow", Duration.ofSeconds(10));
    queue.addAfter("fast", Duration.ofSeconds(5));
    clock.advance(Duration.ofSeconds(5));
    queue.clockMoved();
    await().until(() -> runsOf("fast") == 1);
    long slowAfterFive = runsOf("slow");
    clock.advance(Duration.ofSeconds(5));
    queue.clockMoved();
    await().until(() -> runsOf("slow") == 1);

    assertThat(slowAfterFive).isZero();
    assertThat(runs).containsExactly("fast", "slow");
  }

  @Test
  void aKeyKeepsItsEarliestDueTime() {
    start(1, this::recordAndWait);

    queue.addAfter("a", Duration.ofSeconds(5));
    queue.addAfter("a", Duration.ofMinutes(3));

    assertThat(queue.dueAt("a")).contains(clock.instant().plusSeconds(5));
  }

  @Test
  void anImmediateRequestReplacesADelayedOne() throws InterruptedException {
    start(1, this::recordAndWait);

    queue.addAfter("a", Duration.ofMinutes(3));
    queue.add("a");
    await().until(() -> runsOf("a") == 1);
    assertThat(queue.awaitIdle(Duration.ofSeconds(5))).isTrue();

    assertThat(queue.dueAt("a")).isEmpty();
  }

  @Test
  void aWorkerThatThrowsLeavesTheKeyFreeForTheNextRequest() {
    AtomicInteger calls = new AtomicInteger();
    start(
        1,
        key -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("a bug");
          }
          runs.add(key);
        });

    queue.add("a");
    await().until(() -> calls.get() == 1);
    queue.add("a");
    await().until(() -> runsOf("a") == 1);
  }

  @Test
  void closingStopsTakingWorkAndWaitsForTheRunningKey() {
    CountDownLatch gate = new CountDownLatch(1);
    gates.put("running", gate);
    start(1, this::recordAndWait);
    queue.add("running");
    await().until(() -> runsOf("running") == 1);
    queue.add("queued");
    assertThat(queue.depth()).isEqualTo(1);

    Thread closer = Thread.ofVirtual().start(() -> queue.close(Duration.ofSeconds(10)));
    // Released only once close() has dropped the waiting key: before, the worker could take it.
    await().until(() -> queue.depth() == 0);
    gate.countDown();
    await().until(() -> !closer.isAlive());
    queue.add("after");

    assertThat(runs).containsExactly("running");
  }

  @Test
  void closingInterruptsARunThatOutlastsTheGracePeriod() {
    AtomicInteger interrupted = new AtomicInteger();
    start(
        1,
        key -> {
          runs.add(key);
          try {
            new CountDownLatch(1).await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            interrupted.incrementAndGet();
          }
        });
    queue.add("stuck");
    await().until(() -> runsOf("stuck") == 1);

    boolean ended = queue.close(Duration.ofMillis(100));

    assertThat(ended).isFalse();
    await().until(() -> interrupted.get() == 1);
  }
}
