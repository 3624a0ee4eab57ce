package dev.tagflow.reconcile;

import dev.tagflow.app.Application;
import dev.tagflow.reconcile.ApplicationRegistry.SourceProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The applications each file of a source held when it last loaded, so that a file that stops
 * loading (an edit half-saved, a bad commit) keeps its applications running as last read instead of
 * removing them. One reading of the source at a time: {@link #loaded} and {@link #failed} for each
 * file, then {@link #finish}.
 */
final class LastRead {

  private final String source;
  private Map<String, List<Application>> lastGood = Map.of();
  // In the order the files were read, so applications register in a stable order.
  private final Map<String, List<Application>> reading = new LinkedHashMap<>();
  private final List<SourceProblem> problems = new ArrayList<>();

  LastRead(String source) {
    this.source = source;
  }

  /** The file loaded. */
  void loaded(String file, List<Application> applications) {
    reading.put(file, applications);
  }

  /**
   * The file did not load: its applications as last read stay, and the problem says so.
   *
   * @param where the file as the problem names it
   */
  void failed(String file, String where, String message) {
    List<Application> before = lastGood.getOrDefault(file, List.of());
    reading.put(file, before);
    problems.add(
        new SourceProblem(
            source,
            where,
            message
                + (before.isEmpty()
                    ? ""
                    : " (its applications keep running as last read: "
                        + String.join(", ", before.stream().map(Application::name).toList())
                        + ")"),
            before.stream().map(Application::name).toList()));
  }

  /** A problem of the whole source, besides those of its files. */
  void problem(String where, String message) {
    problems.add(new SourceProblem(source, where, message));
  }

  /** Whether this reading found problems so far. */
  boolean hasProblems() {
    return !problems.isEmpty();
  }

  /** Hands this reading to the registry, and remembers it as the last one. */
  void finish(ApplicationRegistry registry) {
    lastGood = new LinkedHashMap<>(reading);
    List<Application> applications = lastGood.values().stream().flatMap(List::stream).toList();
    List<SourceProblem> found = List.copyOf(problems);
    reading.clear();
    problems.clear();
    registry.replace(source, applications, found);
  }

  /**
   * The source could not be read at all: every application read before stays, with this problem.
   */
  void keep(ApplicationRegistry registry, String where, String message) {
    reading.clear();
    problems.clear();
    registry.replace(
        source,
        lastGood.values().stream().flatMap(List::stream).toList(),
        List.of(new SourceProblem(source, where, message)));
  }
}
