package dev.tagflow.bench.flux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time and resident memory of a tool's processes, read from {@code /proc}: user + system time
 * of each process and of its children it waited for (git, kustomize builds), and VmRSS.
 *
 * @param cpuSeconds CPU seconds so far, summed over the processes
 * @param rssMiB resident memory now, summed over the processes, in MiB
 */
public record ProcessUsage(double cpuSeconds, long rssMiB) {

  /** Clock ticks per second of {@code /proc/<pid>/stat}: 100 on every Linux kernel we run on. */
  private static final double TICKS = 100.0;

  /** The usage of these processes now. */
  public static ProcessUsage of(List<Long> pids) {
    double cpu = 0;
    long rssKiB = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name may hold spaces: fields are counted after its closing parenthesis.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // utime, stime, cutime, cstime are fields 14-17 of stat(5), here 11-14 (from state = 0).
        for (int i = 11; i <= 14; i++) {
          cpu += Long.parseLong(fields[i]) / TICKS;
        }
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith("VmRSS:")) {
            rssKiB += Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("process " + pid + " is gone: " + e.getMessage(), e);
      }
    }
    return new ProcessUsage(cpu, rssKiB / 1024);
  }

  /** The CPU seconds spent since {@code before}. */
  public double cpuSince(ProcessUsage before) {
    return cpuSeconds - before.cpuSeconds;
  }
}
