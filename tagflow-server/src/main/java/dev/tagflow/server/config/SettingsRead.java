package dev.tagflow.server.config;

import dev.tagflow.app.Problem;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** What reading a settings file gave: the settings, or every reason they were refused. */
public sealed interface SettingsRead {

  /** The file was valid. */
  record Loaded(ServerSettings settings) implements SettingsRead {
    public Loaded {
      Objects.requireNonNull(settings, "settings");
    }
  }

  /**
   * The file was not valid, or could not be read.
   *
   * @param message every problem, one per line after a count when there are several, each as {@code
   *     file:line:column: what, and how to fix it}
   * @param problems the problems with their places; empty when the file could not be read at all
   */
  record Refused(String message, List<Problem> problems) implements SettingsRead {
    public Refused {
      Objects.requireNonNull(message, "message");
      problems = List.copyOf(problems);
    }

    /** Every problem on one line, for a log line. */
    public String oneLine() {
      return problems.isEmpty()
          ? message
          : problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }
  }
}
