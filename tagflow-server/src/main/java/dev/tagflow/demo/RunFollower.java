package dev.tagflow.demo;

import dev.tagflow.TagflowException;
import dev.tagflow.store.RunRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Shows a release workflow's run as tagflow server records it: its log, line by line, and its end.
 */
final class RunFollower {

  private final Narrator tell;
  private final DemoObserver observe;
  private final Duration timeout;

  RunFollower(Narrator tell, DemoObserver observe, Duration timeout) {
    this.tell = tell;
    this.observe = observe;
    this.timeout = timeout;
  }

  /** Shows the run of the tag's workflow as it goes, line by line, until it ends. */
  RunRecord follow(String tag) {
    String ref = "refs/tags/" + tag;
    RunRecord started =
        tell.await(
            "tagflow server to start the release workflow for " + tag,
            timeout,
            new Narrator.Probe<RunRecord>() {
              @Override
              public Optional<RunRecord> reached() {
                return observe.run(ref);
              }

              @Override
              public String seen() {
                return "no run yet";
              }
            });
    tell.say(
        "run "
            + started.runId()
            + " of "
            + started.workflow()
            + " at "
            + started.commit().substring(0, 12)
            + ":");
    Path log = Path.of(started.log());
    int shown = 0;
    while (true) {
      RunRecord now = observe.run(ref).orElseThrow();
      List<String> lines = readLines(log);
      lines.subList(Math.min(shown, lines.size()), lines.size()).forEach(this::showRunLine);
      shown = Math.max(shown, lines.size());
      if (now.status().isEnded()) {
        // The last lines may land just before the status.
        List<String> last = readLines(log);
        last.subList(Math.min(shown, last.size()), last.size()).forEach(this::showRunLine);
        tell.say("run " + now.runId() + ": " + now.status());
        if (now.status() != RunRecord.RunStatus.SUCCESS) {
          throw TagflowException.failed(
              "the demo stopped: the release workflow of "
                  + tag
                  + " ended "
                  + now.status()
                  + "; its log: "
                  + log);
        }
        return now;
      }
      Narrator.sleep(Duration.ofMillis(500));
    }
  }

  /**
   * One line of the run's log without its timestamp; the image builder's own messages are left to
   * the log (its last line, the digest pushed, is the runner's).
   */
  private void showRunLine(String line) {
    String text = line.replaceFirst("^\\S+Z ", "").replace("[runner] ", "");
    if (!text.contains(" jib: ")) {
      tell.say("  │ " + text);
    }
  }

  /** The complete lines of a log being written (a line still being written is left for later). */
  private static List<String> readLines(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
    } catch (IOException e) {
      throw TagflowException.failed(
          "could not read the run's log " + file + ": " + e.getMessage(), e);
    }
  }
}
