package dev.tagflow.pipeline.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One {@code run:} step's process: started in its own process group, its output (stdout and stderr
 * together, as GitHub shows them) read line by line as it comes, stopped by a deadline or a
 * cancellation by killing its whole tree. Processes it leaves in the background live on until its
 * job ends, as on GitHub, and are killed then ({@link #tree()}).
 */
final class StepProcess {

  /** A longer line is cut into pieces of this many bytes, so one line cannot fill the memory. */
  static final int MAX_LINE_BYTES = 64 * 1024;

  static final Duration KILL_PATIENCE = Duration.ofSeconds(10);

  /** How the process ended. */
  record Ending(Optional<Integer> exitCode, boolean timedOut, boolean cancelled) {}

  private final Process process;
  private final ProcessTree tree;

  private StepProcess(Process process, ProcessTree tree) {
    this.process = process;
    this.tree = tree;
  }

  /**
   * Starts {@code command}, marked as a step of run {@code runId} ({@link ProcessTree#RUN_MARKER}),
   * so that a server killed with its steps running finds them at its next start.
   *
   * @throws StepFailure when the program cannot be started
   */
  static StepProcess start(
      List<String> command, Path directory, Map<String, String> env, String runId) {
    List<String> full = new ArrayList<>();
    Optional<String> setsid = ProcessTree.setsid();
    setsid.ifPresent(full::add);
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).directory(directory.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    String marker = java.util.UUID.randomUUID().toString();
    builder.environment().put(ProcessTree.MARKER, marker);
    builder.environment().put(ProcessTree.RUN_MARKER, runId);
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process process = builder.start();
      return new StepProcess(
          process, new ProcessTree(process.toHandle(), setsid.isPresent(), marker));
    } catch (IOException e) {
      throw new StepFailure("cannot start " + command.get(0) + ": " + e.getMessage());
    }
  }

  ProcessTree tree() {
    return tree;
  }

  /**
   * Reads the output into {@code lines} until the process ends, the deadline passes or {@code
   * cancellation} is cancelled; in the last two cases the whole tree is killed first. A step that
   * started after its run was cancelled (an {@code if: always()}) is killed only by a forced
   * cancel.
   */
  Ending await(Consumer<String> lines, Optional<Instant> deadline, Cancellation cancellation)
      throws InterruptedException {
    Thread reader = Thread.ofVirtual().name("step-output").start(() -> read(lines));
    AtomicBoolean killed = new AtomicBoolean();
    Runnable kill =
        () -> {
          killed.set(true);
          tree.kill(KILL_PATIENCE);
        };
    Runnable unregister =
        cancellation.cancelled() ? cancellation.onForce(kill) : cancellation.onCancel(kill);
    boolean timedOut = false;
    try {
      if (deadline.isEmpty()) {
        process.waitFor();
      } else {
        long left = Duration.between(Instant.now(), deadline.get()).toNanos();
        if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
          timedOut = true;
          tree.kill(KILL_PATIENCE);
          process.waitFor();
        }
      }
    } catch (InterruptedException e) {
      tree.kill(KILL_PATIENCE);
      throw e;
    } finally {
      unregister.run();
      reader.join();
    }
    boolean cancelled = killed.get() && !timedOut;
    if (timedOut || cancelled) {
      return new Ending(Optional.empty(), timedOut, cancelled);
    }
    return new Ending(Optional.of(process.exitValue()), false, false);
  }

  /**
   * Reads what is there without blocking, so that a background process holding the output open
   * cannot keep the step from ending: once the process has exited, what is left is read and the
   * rest is not waited for.
   */
  private void read(Consumer<String> lines) {
    InputStream in = process.getInputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      while (true) {
        boolean exited = !process.isAlive();
        int available = in.available();
        if (available <= 0) {
          if (exited) {
            break;
          }
          Thread.sleep(10);
          continue;
        }
        int n = in.read(buffer, 0, Math.min(buffer.length, available));
        if (n < 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (b == '\n') {
            emit(line, lines);
          } else {
            line.write(b);
            if (line.size() >= MAX_LINE_BYTES) {
              emit(line, lines);
            }
          }
        }
      }
    } catch (IOException e) {
      // the stream was closed: the process is gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (line.size() > 0) {
        emit(line, lines);
      }
      try {
        in.close();
      } catch (IOException e) {
        // nothing more to read
      }
    }
  }

  private static void emit(ByteArrayOutputStream line, Consumer<String> lines) {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    lines.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
  }
}
