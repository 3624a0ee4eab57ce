package dev.tagflow.server.config;

import dev.tagflow.app.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;

/** Collects the problems of one settings file, so a person sees all of them at once. */
final class SettingsProblems {

  private final String file;
  private final List<Problem> problems = new ArrayList<>();

  SettingsProblems(String file) {
    this.file = file;
  }

  String file() {
    return file;
  }

  void add(Mark mark, String message) {
    problems.add(new Problem(file, mark.getLine() + 1, mark.getColumn() + 1, message));
  }

  /** Where a mark is, as {@code file:line:column}, for messages made elsewhere. */
  String where(Mark mark) {
    return file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  /** The problems in the order of the file. */
  List<Problem> sorted() {
    return problems.stream()
        .sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
        .toList();
  }

  /** One problem as its line, several as a count and one line each. */
  static String message(String file, List<Problem> sorted) {
    return sorted.size() == 1
        ? sorted.getFirst().toString()
        : sorted.size()
            + " problems in "
            + file
            + ":\n"
            + sorted.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }
}
