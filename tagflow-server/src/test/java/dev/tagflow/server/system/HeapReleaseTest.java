package dev.tagflow.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServerFactory;
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
  void theSecondQuietCheckAfterTheStartReleases() {
    allocated.addAndGet(MB);
    assertThat(heap.check()).isFalse(); // quiet once: the start's tail may still be reachable
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
    assertThat(heap.check()).isFalse();
    allocated.addAndGet(2 * MB);
    assertThat(heap.check()).isTrue();
    assertThat(releases).hasValue(1);
  }

  @Test
  void aLongQuietReleasesOnceNotAtEveryCheck() {
    for (int i = 0; i < 20; i++) {
      allocated.addAndGet(MB);
      heap.check();
    }
    assertThat(releases).hasValue(1);
  }

  @Test
  void aBurstBetweenTheQuietChecksStartsTheCountOver() {
    assertThat(heap.check()).isFalse(); // the start's first quiet check
    allocated.addAndGet(HeapRelease.QUIET_BYTES); // work again before the second
    assertThat(heap.check()).isFalse();
    assertThat(heap.check()).isFalse(); // quiet once after this burst
    assertThat(heap.check()).isTrue();
    assertThat(releases).hasValue(1);
  }

  @Test
  void eachBurstIsFollowedByOneRelease() {
    heap.check();
    heap.check(); // the start's
    for (int burst = 0; burst < 3; burst++) {
      allocated.addAndGet(HeapRelease.QUIET_BYTES);
      assertThat(heap.check()).isFalse();
      assertThat(heap.check()).isFalse();
      assertThat(heap.check()).isTrue();
      assertThat(heap.check()).isFalse();
    }
    assertThat(releases).hasValue(4);
  }

  @Test
  void justUnderTheQuietBoundIsQuietAndTheBoundItselfIsABurst() {
    heap.check();
    heap.check(); // the start's
    allocated.addAndGet(HeapRelease.QUIET_BYTES - 1);
    assertThat(heap.check()).isFalse(); // quiet, but no burst since the last release
    allocated.addAndGet(HeapRelease.QUIET_BYTES);
    assertThat(heap.check()).isFalse();
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
    assertThat(release.check()).isFalse();
    assertThat(release.check()).isTrue();

    assertThat(drops).hasValue(1);
    assertThat(collections()).isGreaterThan(collections);
    assertThat(vm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(min);
    assertThat(vm.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo(max);
  }

  @Test
  void aJvmThatTrimsItsNativeHeapItselfReleasesWithoutStartingTheMBeanServer() throws Exception {
    // A JVM of its own: this one may have started the MBean server already.
    assertThat(releaseInNewJvm("-XX:TrimNativeHeapInterval=60000"))
        .isEqualTo("released true, MBean servers 0");
    assertThat(releaseInNewJvm("-XX:TrimNativeHeapInterval=0"))
        .isEqualTo("released true, MBean servers 1"); // trimmed through it
  }

  private static String releaseInNewJvm(String trimOption) throws Exception {
    Process java =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                trimOption,
                "-cp",
                System.getProperty("java.class.path"),
                ReleaseOnce.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor()).as(out).isZero();
    return out.lines().reduce((first, second) -> second).orElse("");
  }

  /** Runs a release after a burst in a JVM of its own; says whether an MBean server was made. */
  static final class ReleaseOnce {
    public static void main(String[] args) {
      HeapRelease release = HeapRelease.ofThisJvm(() -> {});
      List<byte[]> garbage = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        garbage.add(new byte[(int) MB]);
      }
      garbage.clear();
      release.check(); // the burst
      release.check();
      boolean released = release.check();
      System.out.println(
          "released "
              + released
              + ", MBean servers "
              + MBeanServerFactory.findMBeanServer(null).size());
    }
  }

  private static long collections() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(gc -> Math.max(0, gc.getCollectionCount()))
        .sum();
  }
}
