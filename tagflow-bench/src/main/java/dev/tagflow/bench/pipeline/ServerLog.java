package dev.tagflow.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When {@code tagflow server} logged the steps of a tag's way to a run (its log lines carry the
 * local time to the millisecond): the push received, the ref change seen, the run started.
 */
final class ServerLog {

  private static final Pattern TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");

  private final Path file;

  ServerLog(Path file) {
    this.file = file;
  }

  /** The Git server's line for the push of {@code ref}. */
  Optional<Instant> pushReceived(String ref) {
    return first("GitServer - git push to ", " " + ref + " ");
  }

  /** The ref tracker's line for {@code ref} created. */
  Optional<Instant> refChanged(String ref) {
    return first("RefTracker - ref " + ref + " created", "");
  }

  /** The runner's line of a run for {@code ref} started. */
  Optional<Instant> runStarted(String ref) {
    return first("PipelineRunner - run ", " for " + ref + " at ");
  }

  private Optional<Instant> first(String marker, String also) {
    try (var lines = Files.lines(file)) {
      return lines
          .filter(line -> line.contains(marker) && line.contains(also))
          .findFirst()
          .map(ServerLog::time);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the server's log " + file, e);
    }
  }

  private static Instant time(String line) {
    Matcher matcher = TIME.matcher(line);
    if (!matcher.find()) {
      throw new IllegalStateException("no time at the start of: " + line);
    }
    // The server runs on this machine, in its time zone; runs do not cross midnight here.
    return LocalDate.now()
        .atTime(LocalTime.parse(matcher.group(1)))
        .atZone(ZoneId.systemDefault())
        .toInstant();
  }
}
