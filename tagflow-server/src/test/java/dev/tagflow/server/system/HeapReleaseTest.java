package dev.tagflow.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeapReleaseTest {

  private static final long MB = 1L << 20;

  private final AtomicLong allocated = new AtomicLong(500 * MB);
  private final AtomicInteger releases = new AtomicInteger();
  private final HeapRelease heap =
      new HeapRelease(
          allocated::get,
          () -> {
            releases.incrementAndGet();
            allocated.addAndGet(MB); // what a collection allocates itself
          });

  @Test
  void theFirstQuietCheckAfterTheStartReleases() {
    allocated.addAndGet(MB);

    assertThat(heap.check()).isTrue();
    assertThat(releases).hasValue(1);
  }

  @Test
  void nothingIsReleasedWhileTheServerWorks() {
    for (int i = 0; i < 5; i++) {
      allocated.addAndGet(200 * MB);
      assertThat(heap.check()).isFalse();
    }
    assertThat(releases).hasValue(0);

    allocated.addAndGet(2 * MB);
    assertThat(heap.check()).isTrue();
    assertThat(releases).hasValue(1);
  }

  @Test
  void aLongQuietReleasesOnceMoreWhenSettledNotAtEveryCheck() {
    assertThat(heap.check()).isTrue();
    for (int i = 1; i < HeapRelease.SETTLED_CHECKS; i++) {
      allocated.addAndGet(MB);
      assertThat(heap.check()).isFalse();
    }
    allocated.addAndGet(MB);
    assertThat(heap.check()).isTrue(); // settled: the burst's tail is gone
    for (int i = 0; i < 20; i++) {
      allocated.addAndGet(MB);
      assertThat(heap.check()).isFalse();
    }
    assertThat(releases).hasValue(2);
  }

  @Test
  void aBurstBeforeTheQuietSettledStartsOver() {
    heap.check(); // the start's
    allocated.addAndGet(MB);
    heap.check();
    allocated.addAndGet(HeapRelease.QUIET_BYTES); // work again before the settled release
    assertThat(heap.check()).isFalse();
    assertThat(heap.check()).isTrue(); // the first release after this burst
    for (int i = 1; i < HeapRelease.SETTLED_CHECKS; i++) {
      assertThat(heap.check()).isFalse();
    }
    assertThat(heap.check()).isTrue(); // settled after this burst, not after the one before
    assertThat(releases).hasValue(3);
  }

  @Test
  void eachBurstIsFollowedByOneRelease() {
    heap.check(); // the start's
    for (int burst = 0; burst < 3; burst++) {
      allocated.addAndGet(HeapRelease.QUIET_BYTES);
      assertThat(heap.check()).isFalse();
      assertThat(heap.check()).isTrue();
      assertThat(heap.check()).isFalse();
    }
    assertThat(releases).hasValue(4);
  }

  @Test
  void justUnderTheQuietBoundIsQuietAndTheBoundItselfIsABurst() {
    heap.check();
    allocated.addAndGet(HeapRelease.QUIET_BYTES - 1);
    assertThat(heap.check()).isFalse(); // quiet, but no burst since the last release
    allocated.addAndGet(HeapRelease.QUIET_BYTES);
    assertThat(heap.check()).isFalse();
    assertThat(heap.check()).isTrue();
  }

  @Test
  void thisJvmsReleaseCollectsAndPutsTheFreeRatioBoundsBack() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String min = vm.getVMOption("MinHeapFreeRatio").getValue();
    String max = vm.getVMOption("MaxHeapFreeRatio").getValue();
    AtomicInteger drops = new AtomicInteger();
    HeapRelease release = HeapRelease.ofThisJvm(drops::incrementAndGet);
    List<byte[]> garbage = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      garbage.add(new byte[(int) MB]);
    }
    garbage.clear();
    long collections = collections();

    assertThat(release.check()).isFalse(); // 64 MB since it was made: a burst
    assertThat(release.check()).isTrue();

    assertThat(drops).hasValue(1);
    assertThat(collections()).isGreaterThan(collections);
    assertThat(vm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(min);
    assertThat(vm.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo(max);
  }

  private static long collections() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(gc -> Math.max(0, gc.getCollectionCount()))
        .sum();
  }
}
