package dev.tagflow.bench.flux;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every figure of a side-by-side run, by turn and step, in the order they were measured. */
final class FigureTable {

  private final Map<String, Map<String, String>> results = new LinkedHashMap<>();

  /** Keeps one step's figures and prints them on one line as they come. */
  void record(String label, String step, Map<String, String> figures) {
    System.out.printf(
        "%s %s: %s s, CPU %s s, %s API requests, RSS %s MiB, load average %s at the end%n",
        label,
        step,
        figures.get("seconds"),
        figures.get("cpu"),
        figures.get("requests"),
        figures.get("rss"),
        figures.get("load"));
    Map<String, String> turn = results.computeIfAbsent(label, l -> new LinkedHashMap<>());
    figures.forEach((k, v) -> turn.put(step + " | " + k, v));
  }

  /** Every figure of every turn, one line each, for BENCHMARKS.md. */
  void print() {
    System.out.println("== all figures (turn | step | figure | value)");
    results.forEach(
        (label, figures) ->
            figures.forEach(
                (key, value) -> System.out.printf("%s | %s | %s%n", label, key, value)));
  }
}
