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
 * <p>Called every {@link #CHECK_EVERY_SECONDS} s: when {@link #QUIET_CHECKS} checks in a row after
 * a burst each find less than {@link #QUIET_BYTES} allocated since the one before, it collects once
 * with the heap's free-ratio bounds lowered for that collection only, then has glibc's unused
 * native memory handed back too. The bounds go back to what they were at once, so a burst grows the
 * heap as the JVM's defaults would.
 *
 * <p>Two quiet checks, not one: the first comes right after a burst, while some of what the burst
 * left is still reachable, and the heap is sized to what is live then (with 100 applications, 28-39
 * MiB in use at a collection there against 26 MiB two minutes later). Collecting there and again
 * later, as the server did before, cost a second full collection (90-130 ms of CPU) for 2-4 MiB
 * (BENCHMARKS.md, "CPU at rest").
 */
public final class HeapRelease {

  private static final Logger log = LoggerFactory.getLogger(HeapRelease.class);

  /** How often the server checks whether it has gone quiet. */
  public static final long CHECK_EVERY_SECONDS = 30;

  /** Less than this allocated between two checks counts as quiet. */
  public static final long QUIET_BYTES = 8L << 20;

  /** Quiet checks in a row, after a burst, before the release. */
  public static final int QUIET_CHECKS = 2;

  private final LongSupplier allocatedBytes;
  private final Runnable release;
  private long lastAllocated;
  private boolean burstSinceRelease = true; // the start itself is a burst
  private int quietChecks;

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
   * One check; releases when it is the {@link #QUIET_CHECKS}th quiet one in a row after a burst.
   *
   * @return whether it released
   */
  public synchronized boolean check() {
    long now = allocatedBytes.getAsLong();
    long allocated = now - lastAllocated;
    lastAllocated = now;
    if (allocated >= QUIET_BYTES) {
      burstSinceRelease = true;
      quietChecks = 0;
      return false;
    }
    if (!burstSinceRelease || ++quietChecks < QUIET_CHECKS) {
      return false;
    }
    burstSinceRelease = false;
    quietChecks = 0;
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
      // At most a tenth free: a quiet server's old generation barely grows, and the next burst's
      // promotions expand it again, under the restored bounds.
      vm.setVMOption("MinHeapFreeRatio", "5");
      vm.setVMOption("MaxHeapFreeRatio", "10");
      System.gc();
    } catch (IllegalArgumentException e) {
      log.info("heap release: the free-ratio bounds cannot be changed here: {}", e.getMessage());
      System.gc();
    } finally {
      vm.setVMOption("MaxHeapFreeRatio", max);
      vm.setVMOption("MinHeapFreeRatio", min);
    }
    if (!nativeHeapTrimmedByJvm(vm)) {
      trimNativeHeap();
    }
    log.info(
        "heap released while quiet: committed {} MiB, was {} MiB, {} MiB in use",
        runtime.totalMemory() >> 20,
        before >> 20,
        (runtime.totalMemory() - runtime.freeMemory()) >> 20);
  }

  /**
   * Whether the JVM trims the native heap itself ({@code -XX:TrimNativeHeapInterval}, which the
   * server's options set): then a trim here would only bring up the JMX server for nothing.
   */
  private static boolean nativeHeapTrimmedByJvm(HotSpotDiagnosticMXBean vm) {
    try {
      return Long.parseLong(vm.getVMOption("TrimNativeHeapInterval").getValue()) > 0;
    } catch (IllegalArgumentException e) {
      return false; // a JVM without the option
    }
  }

  /**
   * glibc keeps freed native memory in its arenas; the JVM's own command gives it back. It goes
   * through the platform MBean server, which this first call starts (in a class log, 192 classes
   * loaded in the second of a server's first release).
   */
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
