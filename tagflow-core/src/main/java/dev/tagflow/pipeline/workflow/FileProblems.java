package dev.tagflow.pipeline.workflow;

import dev.tagflow.app.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;

/** The problems of one workflow file, gathered so a person sees all of them at once. */
final class FileProblems {

  /** Values quoted in messages are cut to this many characters, so a huge key stays readable. */
  private static final int QUOTED = 80;

  private final String file;
  private final String document;
  private final List<Problem> problems = new ArrayList<>();

  FileProblems(String file) {
    this(file, "the workflow");
  }

  /**
   * @param document what the file is, for messages about its top level ({@code the action})
   */
  FileProblems(String file, String document) {
    this.file = file;
    this.document = document;
  }

  /** What the file is: {@code the workflow}, {@code the action}. */
  String document() {
    return document;
  }

  String file() {
    return file;
  }

  void add(Mark mark, String message) {
    add(Position.of(mark), message);
  }

  void add(Position at, String message) {
    problems.add(new Problem(file, at.line(), at.column(), message));
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  /** In the order of the file. */
  List<Problem> sorted() {
    return problems.stream()
        .sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
        .toList();
  }

  /** A value for a message: quoted, and cut when it is long. */
  static String quoted(String value) {
    String oneLine = value.replace("\n", "\\n");
    return "'" + (oneLine.length() > QUOTED ? oneLine.substring(0, QUOTED) + "…" : oneLine) + "'";
  }
}
