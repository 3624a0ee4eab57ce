package dev.tagflow.pipeline.workflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An action's {@code action.yml}, as {@link ActionLoader} read it: its inputs, outputs and what it
 * runs. Docker container actions never become one.
 *
 * @param file the file as named in messages ({@code octo/hello@v1/action.yml})
 * @param inputs by id, in the order written
 * @param outputs by id: a composite action's {@code value} expressions; empty texts for a
 *     JavaScript action, whose outputs are what it writes
 */
public record ActionDefinition(
    String file,
    Optional<Text> name,
    Map<String, Input> inputs,
    Map<String, Text> outputs,
    Runs runs) {

  public ActionDefinition {
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  /**
   * One input.
   *
   * @param defaultValue {@code default:}, which may hold an expression
   */
  public record Input(
      String id, Optional<Text> defaultValue, boolean required, Optional<Text> deprecation) {}

  /** {@code runs:}. */
  public sealed interface Runs {}

  /** {@code using: composite}: steps, each run: step with its shell. */
  public record Composite(List<Step> steps) implements Runs {
    public Composite {
      steps = List.copyOf(steps);
    }
  }

  /**
   * {@code using: node20 | node24} (or node12/node16, which GitHub runs on a newer Node).
   *
   * @param major the major version of Node the action asks for
   * @param main {@code main:}, a path in the action's directory
   * @param preIf {@code pre-if:}, {@code always()} when not given, as GitHub does
   * @param postIf {@code post-if:}, {@code always()} when not given
   */
  public record Node(
      String using,
      int major,
      Text main,
      Optional<Text> pre,
      Text preIf,
      Optional<Text> post,
      Text postIf)
      implements Runs {}
}
