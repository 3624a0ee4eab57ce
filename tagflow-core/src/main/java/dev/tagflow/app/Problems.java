package dev.tagflow.app;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;

/**
 * Collects the problems of one file so a person sees all of them at once, not one per attempt; the
 * fields Argo CD has and Tagflow does not are gathered into a single problem.
 */
final class Problems {

  private final String file;
  private final List<Problem> problems = new ArrayList<>();
  private final List<Unsupported> unsupported = new ArrayList<>();

  /** A field of Argo CD's format that Tagflow does not support, and why. */
  record Unsupported(String path, int line, String reason) {}

  Problems(String file) {
    this.file = file;
  }

  String file() {
    return file;
  }

  void add(Mark mark, String message) {
    problems.add(new Problem(file, mark.getLine() + 1, mark.getColumn() + 1, message));
  }

  void addAt(int line, int column, String message) {
    problems.add(new Problem(file, line, column, message));
  }

  void unsupported(Mark mark, String path, String reason) {
    unsupported.add(new Unsupported(path, mark.getLine() + 1, reason));
  }

  /**
   * Turns the Argo CD fields gathered for one document into one problem at the document's start.
   */
  void closeUnsupported(Mark documentStart, String application) {
    if (unsupported.isEmpty()) {
      return;
    }
    String list =
        unsupported.stream()
            .sorted(Comparator.comparingInt(Unsupported::line))
            .map(u -> "\n    line " + u.line() + ": " + u.path() + " (" + u.reason() + ")")
            .collect(Collectors.joining());
    add(
        documentStart,
        "Argo CD Application '"
            + application
            + "' uses fields Tagflow does not support; remove them (or use Tagflow's own"
            + " format, apiVersion "
            + Dialect.TAGFLOW.apiVersion()
            + "):"
            + list);
    unsupported.clear();
  }

  boolean isEmpty() {
    return problems.isEmpty() && unsupported.isEmpty();
  }

  /** Throws every problem found so far as one exception; does nothing when there is none. */
  void throwIfAny() {
    if (problems.isEmpty()) {
      return;
    }
    List<Problem> sorted =
        problems.stream()
            .sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
            .toList();
    String message =
        sorted.size() == 1
            ? sorted.getFirst().toString()
            : sorted.size()
                + " problems in "
                + file
                + ":\n"
                + sorted.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
    throw new InvalidApplicationException(message, sorted);
  }
}
