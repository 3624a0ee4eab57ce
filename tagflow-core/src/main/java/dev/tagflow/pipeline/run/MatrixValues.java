package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.expression.Contexts;
import dev.tagflow.pipeline.expression.Template;
import dev.tagflow.pipeline.expression.Value;
import dev.tagflow.pipeline.workflow.Matrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's matrix at run time: the combinations of a written matrix (its expression axes evaluated
 * first) or of one an expression gives, capped at {@link Matrix#MAX_JOBS}; and the conversions
 * between the workflow's plain values and the expression language's.
 */
final class MatrixValues {

  private MatrixValues() {}

  static List<Map<String, Object>> combinations(Matrix matrix, Contexts contexts) {
    Matrix.Values values =
        switch (matrix) {
          case Matrix.Values v when v.expressionAxes().isEmpty() -> v;
          case Matrix.Values v -> {
            Map<String, List<Object>> axes = new LinkedHashMap<>(v.axes());
            v.expressionAxes()
                .forEach(
                    (axis, text) -> {
                      Object list = toJava(Template.parse(text.value()).evaluate(contexts));
                      if (!(list instanceof List<?> items)) {
                        throw new StepFailure(
                            "matrix axis '" + axis + "' at " + text.at() + " is not an array");
                      }
                      axes.put(axis, new ArrayList<>(items));
                    });
            yield new Matrix.Values(axes, v.include(), v.exclude(), Map.of());
          }
          case Matrix.FromExpression e ->
              fromObject(Template.parse(e.expression().value()).evaluate(contexts), e);
        };
    if (values.product() > Matrix.MAX_JOBS) {
      throw new StepFailure(
          "the matrix makes more than " + Matrix.MAX_JOBS + " jobs (GitHub's cap)");
    }
    List<Map<String, Object>> combinations = values.combinations();
    if (combinations.size() > Matrix.MAX_JOBS) {
      throw new StepFailure(
          "the matrix makes more than " + Matrix.MAX_JOBS + " jobs (GitHub's cap)");
    }
    return combinations;
  }

  @SuppressWarnings("unchecked")
  private static Matrix.Values fromObject(Value value, Matrix.FromExpression e) {
    if (!(toJava(value) instanceof Map<?, ?> map)) {
      throw new StepFailure("strategy.matrix at " + e.expression().at() + " is not an object");
    }
    Map<String, List<Object>> axes = new LinkedHashMap<>();
    List<Map<String, Object>> include = new ArrayList<>();
    List<Map<String, Object>> exclude = new ArrayList<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String name = entry.getKey().toString();
      if (!(entry.getValue() instanceof List<?> list)) {
        throw new StepFailure(
            "strategy.matrix." + name + " at " + e.expression().at() + " is not an array");
      }
      switch (name) {
        case "include", "exclude" -> {
          for (Object item : list) {
            if (!(item instanceof Map<?, ?> m)) {
              throw new StepFailure(
                  "strategy.matrix." + name + " holds a value that is not an object");
            }
            (name.equals("include") ? include : exclude).add((Map<String, Object>) m);
          }
        }
        default -> axes.put(name, new ArrayList<>(list));
      }
    }
    return new Matrix.Values(axes, include, exclude, Map.of());
  }

  static Object toJava(Value value) {
    return switch (value) {
      case Value.NullValue n -> null;
      case Value.BooleanValue b -> b.value();
      case Value.NumberValue n ->
          n.value() == Math.rint(n.value()) && Math.abs(n.value()) < 1e15
              ? (Object) (long) n.value()
              : (Object) n.value();
      case Value.StringValue s -> s.value();
      case Value.ArrayValue a -> a.items().stream().map(MatrixValues::toJava).toList();
      case Value.ObjectValue o -> {
        Map<String, Object> map = new LinkedHashMap<>();
        o.properties().forEach((k, v) -> map.put(k, toJava(v)));
        yield map;
      }
    };
  }

  static Value toValue(Object object) {
    return switch (object) {
      case null -> Value.NULL;
      case Boolean b -> Value.of(b);
      case Number n -> Value.of(n.doubleValue());
      case Map<?, ?> m -> {
        Map<String, Value> map = new LinkedHashMap<>();
        m.forEach((k, v) -> map.put(String.valueOf(k), toValue(v)));
        yield Value.object(map);
      }
      case List<?> l -> Value.array(l.stream().map(MatrixValues::toValue).toList());
      default -> Value.of(object.toString());
    };
  }

  /** The name GitHub shows for a combination: {@code test (17, linux)}. */
  static String key(String job, Map<String, Object> combination) {
    if (combination.isEmpty()) {
      return job;
    }
    List<String> parts = new ArrayList<>();
    combination
        .values()
        .forEach(
            v ->
                parts.add(
                    v instanceof Map || v instanceof List
                        ? toValue(v).asText()
                        : String.valueOf(v)));
    return job + " (" + String.join(", ", parts) + ")";
  }
}
