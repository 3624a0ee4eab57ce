package dev.tagflow.pipeline.workflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code strategy.matrix}: the jobs one job definition stands for.
 *
 * <p>Either written out ({@link Values}: axes of values, {@code include}, {@code exclude}), or an
 * expression that gives the matrix when the run starts ({@code matrix: ${{ fromJSON(…) }}}), which
 * is expanded and capped then.
 */
public sealed interface Matrix {

  /** GitHub's cap: "A matrix can generate a maximum of 256 jobs per workflow run." */
  int MAX_JOBS = 256;

  /** A matrix given by an expression, expanded when the run starts. */
  record FromExpression(Text expression) implements Matrix {}

  /**
   * A matrix written out. Values are plain Java (text, numbers, booleans, maps, lists); an axis
   * written as an expression is kept as its text in {@code expressionAxes}, expanded at run time.
   *
   * @param axes each axis and its values, in the order written
   * @param include combinations added or extended, as GitHub defines
   * @param exclude combinations removed (an entry matches every combination it agrees with)
   * @param expressionAxes axes whose values an expression gives, expanded at run time
   */
  record Values(
      Map<String, List<Object>> axes,
      List<Map<String, Object>> include,
      List<Map<String, Object>> exclude,
      Map<String, Text> expressionAxes)
      implements Matrix {

    public Values {
      axes = Collections.unmodifiableMap(new LinkedHashMap<>(axes));
      include = List.copyOf(include);
      exclude = List.copyOf(exclude);
      expressionAxes = Collections.unmodifiableMap(new LinkedHashMap<>(expressionAxes));
    }

    /**
     * How many combinations the axes make before {@code exclude} and {@code include}; saturates at
     * {@link Long#MAX_VALUE} so a hostile matrix cannot overflow it.
     */
    public long product() {
      long product = 1;
      for (List<Object> values : axes.values()) {
        if (values.isEmpty()) {
          return 0;
        }
        product =
            values.size() > Long.MAX_VALUE / product ? Long.MAX_VALUE : product * values.size();
      }
      return product;
    }

    /**
     * The combinations, as GitHub makes them: every combination of the axes, less those an {@code
     * exclude} entry matches; then each {@code include} entry is added to every combination whose
     * original values it does not change, or becomes a combination of its own when it fits none.
     * Call only when {@link #product()} is within reason (the loader refuses a matrix past {@link
     * #MAX_JOBS}).
     */
    public List<Map<String, Object>> combinations() {
      List<Map<String, Object>> combinations = new ArrayList<>();
      combinations.add(new LinkedHashMap<>());
      if (!axes.isEmpty()) {
        for (Map.Entry<String, List<Object>> axis : axes.entrySet()) {
          List<Map<String, Object>> next = new ArrayList<>();
          for (Map<String, Object> partial : combinations) {
            for (Object value : axis.getValue()) {
              Map<String, Object> combination = new LinkedHashMap<>(partial);
              combination.put(axis.getKey(), value);
              next.add(combination);
            }
          }
          combinations = next;
        }
        combinations.removeIf(c -> exclude.stream().anyMatch(e -> agrees(c, e)));
      } else {
        combinations.clear();
      }
      List<Map<String, Object>> originals =
          combinations.stream().map(c -> (Map<String, Object>) new LinkedHashMap<>(c)).toList();
      List<Map<String, Object>> added = new ArrayList<>();
      for (Map<String, Object> entry : include) {
        boolean fitted = false;
        for (int i = 0; i < combinations.size(); i++) {
          if (keepsOriginals(originals.get(i), entry)) {
            combinations.get(i).putAll(entry);
            fitted = true;
          }
        }
        if (!fitted) {
          added.add(new LinkedHashMap<>(entry));
        }
      }
      combinations.addAll(added);
      return combinations.stream().map(Collections::unmodifiableMap).toList();
    }

    /** Whether every key of {@code entry} that the combination has carries the same value. */
    private static boolean agrees(Map<String, Object> combination, Map<String, Object> entry) {
      return entry.entrySet().stream()
          .allMatch(e -> Objects.equals(combination.get(e.getKey()), e.getValue()));
    }

    /** An include entry may add keys, and set axis keys only to the values they already have. */
    private static boolean keepsOriginals(Map<String, Object> original, Map<String, Object> entry) {
      return entry.entrySet().stream()
          .filter(e -> original.containsKey(e.getKey()))
          .allMatch(e -> Objects.equals(original.get(e.getKey()), e.getValue()));
    }
  }
}
