package dev.tagflow.local.cluster;

import dev.tagflow.local.LocalSetupException;
import dev.tagflow.local.process.LogTail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code go} commands of one build from Go modules (the control plane's, the bench's Flux
 * controllers): each command and its output appended to the build log, a progress line every 30 s
 * while one runs, and a failure that shows the log's last lines and what to do.
 */
public final class GoRunner {

  private static final Logger log = LoggerFactory.getLogger(GoRunner.class);
  private static final Duration HEARTBEAT = Duration.ofSeconds(30);

  private final GoToolchain go;
  private final Map<String, String> environment;
  private final Path buildLog;
  private final Consumer<String> progress;
  private final String building;
  private final String advice;

  /**
   * @param environment the environment of every {@code go} command; {@code CGO_ENABLED=0} and
   *     {@code GOFLAGS=-mod=mod} are set over it
   * @param building what is built, for messages: "the local control plane"
   * @param advice the end of a failure's message: what is kept and how to go on
   */
  public GoRunner(
      GoToolchain go,
      Map<String, String> environment,
      Path buildLog,
      Consumer<String> progress,
      String building,
      String advice) {
    this.go = go;
    this.environment = Map.copyOf(environment);
    this.buildLog = buildLog;
    this.progress = progress;
    this.building = building;
    this.advice = advice;
  }

  /** Runs {@code go args} in {@code dir}, all its output to the build log. */
  public void run(Path dir, String... args) {
    runWith(dir, Map.of(), args);
  }

  /** As {@link #run}, with more environment variables. */
  public void runWith(Path dir, Map<String, String> extraEnvironment, String... args) {
    waitFor(start(dir, extraEnvironment, args, true), args);
  }

  /** Runs {@code go args} in {@code dir} and returns its standard output (also logged). */
  public String output(Path dir, String... args) {
    Process process = start(dir, Map.of(), args, false);
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      appendToLog(out);
      waitFor(process, args);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The error of a failed step: what failed, the build log's last lines, then the advice. */
  public LocalSetupException failure(String what) {
    return LocalSetupException.failed(
        "building "
            + building
            + " failed: "
            + what
            + "\n--- last lines of "
            + buildLog
            + " ---\n"
            + LogTail.of(buildLog)
            + "\n--- "
            + advice);
  }

  private Process start(
      Path dir, Map<String, String> extraEnvironment, String[] args, boolean allToLog) {
    List<String> command = new ArrayList<>();
    command.add(go.go().toString());
    command.addAll(List.of(args));
    appendToLog("$ " + String.join(" ", command) + "   (in " + dir + ")\n");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.putAll(environment);
    env.putAll(defaultGoEnvironment());
    env.putAll(extraEnvironment);
    if (allToLog) {
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(buildLog.toFile()));
    } else {
      builder.redirectError(ProcessBuilder.Redirect.appendTo(buildLog.toFile()));
    }
    try {
      return builder.start();
    } catch (IOException e) {
      throw LocalSetupException.failed("could not run " + go.go() + ": " + e.getMessage(), e);
    }
  }

  private Map<String, String> defaultGoEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("CGO_ENABLED", "0");
    env.put("GOFLAGS", "-mod=mod");
    if (!environment.containsKey("HOME")) {
      env.put("HOME", System.getProperty("user.home"));
    }
    return env;
  }

  private void waitFor(Process process, String[] args) {
    String step = abbreviate("go " + String.join(" ", args));
    Instant started = Instant.now();
    try {
      while (!process.waitFor(HEARTBEAT.toSeconds(), TimeUnit.SECONDS)) {
        progress.accept(
            "      still running ("
                + Duration.between(started, Instant.now()).toSeconds()
                + " s): "
                + step);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw LocalSetupException.failed("building " + building + " was interrupted");
    }
    log.debug("{} finished with exit code {}", step, process.exitValue());
    if (process.exitValue() != 0) {
      throw failure(step + " exited with code " + process.exitValue());
    }
  }

  private void appendToLog(String line) {
    try {
      Files.writeString(
          buildLog,
          line,
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND,
          StandardOpenOption.CREATE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String abbreviate(String step) {
    return step.length() > 160 ? step.substring(0, 157) + "..." : step;
  }
}
