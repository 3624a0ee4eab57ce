package dev.tagflow.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.cluster.ObjectRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KindBatchesTest {

  private static ObjectRef configMap(String name) {
    return new ObjectRef("v1", "ConfigMap", "shop", name);
  }

  private static ObjectRef deployment(String name) {
    return new ObjectRef("apps/v1", "Deployment", "shop", name);
  }

  @Test
  void runsTheObjectsOfOneKindAtTheSameTime() {
    // Four tasks that each wait until all four have started: they end only if they run at once.
    CyclicBarrier allStarted = new CyclicBarrier(4);
    List<ObjectRef> refs = List.of(configMap("a"), configMap("b"), configMap("c"), configMap("d"));

    List<String> results =
        new KindBatches(4)
            .run(
                refs,
                r -> r,
                r -> {
                  try {
                    allStarted.await(30, TimeUnit.SECONDS);
                    return r.name() + " done";
                  } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    return r.name() + " not run at once: " + e;
                  }
                });

    assertThat(results).containsExactly("a done", "b done", "c done", "d done");
  }

  @Test
  void neverRunsMoreThanItsParallelismAtOnce() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<ObjectRef> refs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      refs.add(configMap("c" + i));
    }

    List<ObjectRef> results =
        new KindBatches(3)
            .run(
                refs,
                r -> r,
                r -> {
                  most.accumulateAndGet(running.incrementAndGet(), Math::max);
                  Thread.onSpinWait();
                  running.decrementAndGet();
                  return r;
                });

    assertThat(most.get()).isBetween(1, 3);
    assertThat(results).isEqualTo(refs);
  }

  @Test
  void startsTheNextKindOnlyWhenEveryObjectOfTheOneBeforeIsDone() {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    List<ObjectRef> refs =
        List.of(
            configMap("a"), configMap("b"), configMap("c"), deployment("web"), deployment("db"));

    new KindBatches(4)
        .run(
            refs,
            r -> r,
            r -> {
              log.add("start " + r.kind());
              log.add("end " + r.kind());
              return r;
            });

    int lastConfigMapEnd = log.lastIndexOf("end ConfigMap");
    int firstDeploymentStart = log.indexOf("start Deployment");
    assertThat(lastConfigMapEnd).isLessThan(firstDeploymentStart);
    assertThat(log).filteredOn(s -> s.startsWith("end")).hasSize(5);
  }

  @Test
  void keepsKindsApartThatShareANameButNotAGroup() {
    ObjectRef ours = new ObjectRef("shop.example/v1", "Widget", "shop", "a");
    ObjectRef theirs = new ObjectRef("other.example/v1", "Widget", "shop", "b");
    // Each waits for a partner that never comes when the two are one batch: run apart, both end.
    CyclicBarrier pair = new CyclicBarrier(2);

    List<String> results =
        new KindBatches(2)
            .run(
                List.of(ours, theirs),
                r -> r,
                r -> {
                  try {
                    pair.await(200, TimeUnit.MILLISECONDS);
                    return "together";
                  } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    pair.reset();
                    return "apart";
                  }
                });

    assertThat(results).containsExactly("apart", "apart");
  }

  @Test
  void reportsEveryResultInTheOrderGivenEvenWhenTheCallerIsInterrupted() {
    List<ObjectRef> refs = List.of(configMap("a"), configMap("b"), configMap("c"));
    Thread.currentThread().interrupt();
    try {
      List<String> results = new KindBatches(2).run(refs, r -> r, r -> r.name() + " sent");

      assertThat(results).containsExactly("a sent", "b sent", "c sent");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void refusesAParallelismBelowOne() {
    assertThatThrownBy(() -> new KindBatches(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parallelism must be at least 1, got 0");
  }
}
