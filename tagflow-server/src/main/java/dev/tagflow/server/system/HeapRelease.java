package dev.tagflow.server.system;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap a burst of work grew back to the system once the server is quiet again. The serial
 * collector shrinks the heap only in a full collection, which a quiet server never has, so the heap
 * a first sync of every application grew would otherwise stay committed for as long as the server
 * runs (BENCHMARKS.md, "1,000 applications side by side, and memory at rest").
 *
 * <p>Called every {@link #CHECK_EVERY_SECONDS} s: a check that finds less than {@link #QUIET_BYTES}
 * allocated since the one before, after a burst, collects once with the heap's free-ratio bounds
 * lowered for that collection only, then hands glibc's unused native memory back too. The bounds go
 * back to what they were at once, so a burst grows the heap as the JVM's defaults would.
 *
 * <p>It collects once more when the quiet has lasted {@link #SETTLED_CHECKS} checks more. The first
 * quiet check comes right after a burst, while some of what the burst left is still reachable, and
 * the heap is sized to what is live then: with 100 applications, 33–39 MiB in use at that
 * collection against 26 MiB at the second (BENCHMARKS.md, "The heap a burst's tail kept").
 */
public final class HeapRelease {

  private static final Logger log = LoggerFactory.getLogger(HeapRelease.class);

  /** How often the server checks whether it has gone quiet. */
  public static final long CHECK_EVERY_SECONDS = 30;

  /** Less than this allocated between two checks counts as quiet. */
  public static final long QUIET_BYTES = 8L << 20;

  /** Quiet checks after the first release before the second, once the burst's tail is gone. */
  public static final int SETTLED_CHECKS = 4;

  private final LongSupplier allocatedBytes;
  private final Runnable release;
  private long lastAllocated;
  private boolean burstSinceRelease = true; // the start itself is a burst

  /** Quiet checks since the first release after a burst; -1 once the settled one ran. */
  private int quietSinceRelease = -1;

  /**
   * @param allocatedBytes the bytes the JVM has allocated since it started
   * @param release collects and gives the memory back
   */
  public HeapRelease(LongSupplier allocatedBytes, Runnable release) {
    this.allocatedBytes = allocatedBytes;
    this.release = release;
    this.lastAllocated = allocatedBytes.getAsLong();
  }

  /**
   * The release for this JVM, or a release that never runs where the JVM does not count allocated
   * bytes.
   *
   * @param dropBurstCaches run first, to let go of what only a burst of work uses (the renders a
   *     burst kept, the store's page caches), so that the collection and the trim give that memory
   *     back too
   */
  public static HeapRelease ofThisJvm(Runnable dropBurstCaches) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
      log.info("heap release off: this JVM does not count allocated bytes");
      return new HeapRelease(() -> 0, () -> {});
    }
    return new HeapRelease(
        threads::getTotalThreadAllocatedBytes,
        () -> {
          dropBurstCaches.run();
          collectAndTrim();
        });
  }

  /** Checks every {@link #CHECK_EVERY_SECONDS} s on that executor until it shuts down. */
  public void scheduleOn(ScheduledExecutorService executor) {
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            check();
          } catch (RuntimeException e) {
            // Logged, not thrown: a scheduled task that throws is never run again.
            log.warn("could not give the heap back after a burst of work: {}", e.toString());
          }
        },
        CHECK_EVERY_SECONDS,
        CHECK_EVERY_SECONDS,
        TimeUnit.SECONDS);
  }

  /**
   * One check; releases when the server went quiet after a burst, and once more when that quiet has
   * lasted {@link #SETTLED_CHECKS} checks more.
   *
   * @return whether it released
   */
  public synchronized boolean check() {
    long now = allocatedBytes.getAsLong();
    long allocated = now - lastAllocated;
    lastAllocated = now;
    if (allocated >= QUIET_BYTES) {
      burstSinceRelease = true;
      quietSinceRelease = -1;
      return false;
    }
    if (burstSinceRelease) {
      burstSinceRelease = false;
      quietSinceRelease = 0;
      releaseNow();
      return true;
    }
    if (quietSinceRelease < 0 || ++quietSinceRelease < SETTLED_CHECKS) {
      return false;
    }
    quietSinceRelease = -1;
    releaseNow();
    return true;
  }

  private void releaseNow() {
    release.run();
    // The collection's own allocation does not count as the next burst.
    lastAllocated = allocatedBytes.getAsLong();
  }

  private static void collectAndTrim() {
    Runtime runtime = Runtime.getRuntime();
    long before = runtime.totalMemory();
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String min = vm.getVMOption("MinHeapFreeRatio").getValue();
    String max = vm.getVMOption("MaxHeapFreeRatio").getValue();
    try {
      // The minimum goes down first, and back up last: the JVM refuses a minimum above the maximum.
      vm.setVMOption("MinHeapFreeRatio", "10");
      vm.setVMOption("MaxHeapFreeRatio", "20");
      System.gc();
    } catch (IllegalArgumentException e) {
      log.info("heap release: the free-ratio bounds cannot be changed here: {}", e.getMessage());
      System.gc();
    } finally {
      vm.setVMOption("MaxHeapFreeRatio", max);
      vm.setVMOption("MinHeapFreeRatio", min);
    }
    trimNativeHeap();
    log.info(
        "heap released while quiet: committed {} MiB, was {} MiB, {} MiB in use",
        runtime.totalMemory() >> 20,
        before >> 20,
        (runtime.totalMemory() - runtime.freeMemory()) >> 20);
  }

  /** glibc keeps freed native memory in its arenas; the JVM's own command gives it back. */
  private static void trimNativeHeap() {
    try {
      ManagementFactory.getPlatformMBeanServer()
          .invoke(
              new ObjectName("com.sun.management:type=DiagnosticCommand"),
              "systemTrimNativeHeap",
              new Object[] {new String[0]},
              new String[] {String[].class.getName()});
    } catch (JMException e) {
      log.debug("heap release: no native heap trim here: {}", e.getMessage());
    }
  }
}
