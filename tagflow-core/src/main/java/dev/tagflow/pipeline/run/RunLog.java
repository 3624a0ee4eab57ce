package dev.tagflow.pipeline.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's log: every line masked, appended to the run's log file and handed to the listeners as it
 * is written. Lines of parallel jobs interleave in the file; each names its job and step.
 */
final class RunLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);

  private final Path file;
  private final MaskedValues mask;
  private final List<RunListener> listeners;
  private final Clock clock;
  private final BufferedWriter writer;
  private final ReentrantLock lock = new ReentrantLock();

  RunLog(Path file, MaskedValues mask, List<RunListener> listeners, Clock clock) {
    this.file = file;
    this.mask = mask;
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
    try {
      this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run's log " + file, e);
    }
  }

  Path file() {
    return file;
  }

  MaskedValues mask() {
    return mask;
  }

  /** Writes a line the runner says, masked. */
  void runner(String job, int step, String text) {
    write(job, step, LogLine.Kind.RUNNER, mask.apply(text));
  }

  /** Writes a line already masked (by a {@link LineMasker}). */
  void masked(String job, int step, LogLine.Kind kind, String text) {
    write(job, step, kind, text);
  }

  private void write(String job, int step, LogLine.Kind kind, String text) {
    LogLine line = new LogLine(clock.instant(), job, step, kind, text);
    lock.lock();
    try {
      writer.write(line.format());
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      LOG.warn("run log {}: cannot write: {}", file, e.toString());
    } finally {
      lock.unlock();
    }
    for (RunListener listener : listeners) {
      try {
        listener.line(line);
      } catch (RuntimeException e) {
        LOG.warn("run log {}: a listener failed: {}", file, e.toString());
      }
    }
  }

  void jobFinished(JobResult job) {
    listeners.forEach(l -> l.jobFinished(job));
  }

  void runFinished(RunResult run) {
    listeners.forEach(l -> l.runFinished(run));
  }

  @Override
  public void close() {
    lock.lock();
    try {
      writer.close();
    } catch (IOException e) {
      LOG.warn("run log {}: cannot close: {}", file, e.toString());
    } finally {
      lock.unlock();
    }
  }
}
