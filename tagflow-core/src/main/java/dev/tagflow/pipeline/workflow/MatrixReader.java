package dev.tagflow.pipeline.workflow;

import dev.tagflow.app.YamlValues;
import dev.tagflow.pipeline.expression.Place;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code strategy:} and its matrix, and refuses a matrix that makes more than {@link
 * Matrix#MAX_JOBS} jobs. The count is taken from the axes' sizes first, so a matrix of a billion
 * combinations is refused without making any of them.
 */
final class MatrixReader {

  /**
   * Past this many combinations before {@code exclude}, a matrix is refused without expanding it:
   * excludes could bring it down to 256, but not a matrix this large in any workflow written by
   * hand.
   */
  static final long MAX_BEFORE_EXCLUDE = 16 * Matrix.MAX_JOBS;

  private final FileProblems problems;
  private final WorkflowReader workflow;

  MatrixReader(FileProblems problems, WorkflowReader workflow) {
    this.problems = problems;
    this.workflow = workflow;
  }

  Optional<Strategy> strategy(Mapping s, String job) {
    String path = job + ".strategy";
    Optional<Text> failFast = workflow.flag(s, "fail-fast", path, Place.JOB_STRATEGY);
    Optional<Text> maxParallel = workflow.expression(s, "max-parallel", path, Place.JOB_STRATEGY);
    maxParallel.ifPresent(
        t -> {
          if (!t.hasExpression() && !t.value().matches("[1-9]\\d{0,8}")) {
            problems.add(
                t.at(),
                path
                    + ".max-parallel must be a positive whole number or an expression, not "
                    + FileProblems.quoted(t.value()));
          }
        });
    Optional<Node> node = s.node("matrix");
    s.finish(List.of("matrix", "fail-fast", "max-parallel"));
    if (node.isEmpty()) {
      problems.add(s.at(), path + " has no matrix; give strategy.matrix or remove strategy");
      return Optional.empty();
    }
    return matrix(node.get(), path + ".matrix")
        .map(matrix -> new Strategy(matrix, failFast, maxParallel));
  }

  private Optional<Matrix> matrix(Node node, String path) {
    if (node instanceof ScalarNode) {
      Optional<Text> expression = Mapping.text(node, path, problems);
      if (expression.isPresent() && expression.get().hasExpression()) {
        workflow.site(path, Place.JOB_STRATEGY, expression.get());
        return Optional.of(new Matrix.FromExpression(expression.get()));
      }
      problems.add(
          node.getStartMark(),
          path + " must be a mapping of axes to lists of values, or an expression");
      return Optional.empty();
    }
    Optional<Mapping> m = Mapping.of(node, path, problems);
    if (m.isEmpty()) {
      return Optional.empty();
    }
    Map<String, List<Object>> axes = new LinkedHashMap<>();
    Map<String, Text> expressionAxes = new LinkedHashMap<>();
    List<Map<String, Object>> include = List.of();
    List<Map<String, Object>> exclude = List.of();
    for (String key : m.get().keys()) {
      Node value = m.get().raw(key).orElseThrow();
      String at = m.get().child(key);
      if (value instanceof ScalarNode s && s.getValue().contains("${{")) {
        Text text = Mapping.text(s, at, problems).orElseThrow();
        workflow.site(at, Place.JOB_STRATEGY, text);
        expressionAxes.put(key, text);
      } else if (key.equals("include") || key.equals("exclude")) {
        List<Map<String, Object>> entries = entries(value, at);
        if (key.equals("include")) {
          include = entries;
        } else {
          exclude = entries;
        }
      } else if (value instanceof SequenceNode seq) {
        if (seq.getValue().isEmpty()) {
          problems.add(
              value.getStartMark(), at + " has no values; give at least one, or remove the axis");
        }
        List<Object> values = new ArrayList<>();
        for (Node item : seq.getValue()) {
          values.add(YamlValues.plain(item));
        }
        axes.put(key, values);
      } else {
        problems.add(
            value.getStartMark(),
            at
                + " must be a list of values ([a, b]) or an expression, not "
                + Mapping.shape(value));
      }
    }
    Matrix.Values matrix = new Matrix.Values(axes, include, exclude, expressionAxes);
    if (axes.isEmpty() && include.isEmpty() && expressionAxes.isEmpty()) {
      problems.add(m.get().at(), path + " is empty; give at least one axis or include entry");
      return Optional.empty();
    }
    long product = matrix.product();
    if (product > MAX_BEFORE_EXCLUDE) {
      problems.add(
          m.get().at(),
          path
              + " makes "
              + (product == Long.MAX_VALUE
                  ? "more than 9,223,372,036,854,775,807"
                  : String.format("%,d", product))
              + " combinations of its axes; a matrix runs at most "
              + Matrix.MAX_JOBS
              + " jobs (GitHub's limit too): use fewer axes or values");
      return Optional.empty();
    }
    int jobs = matrix.combinations().size();
    if (jobs > Matrix.MAX_JOBS) {
      problems.add(
          m.get().at(),
          path
              + " makes "
              + jobs
              + " jobs after include and exclude; a matrix runs at most "
              + Matrix.MAX_JOBS
              + " (GitHub's limit too): use fewer axes or values");
      return Optional.empty();
    }
    return Optional.of(matrix);
  }

  private List<Map<String, Object>> entries(Node value, String at) {
    if (!(value instanceof SequenceNode seq)) {
      problems.add(
          value.getStartMark(),
          at + " must be a list of mappings ({os: linux, java: 21}), not " + Mapping.shape(value));
      return List.of();
    }
    if (seq.getValue().size() > MAX_BEFORE_EXCLUDE) {
      problems.add(
          value.getStartMark(),
          at
              + " has "
              + seq.getValue().size()
              + " entries; a matrix runs at most "
              + Matrix.MAX_JOBS
              + " jobs");
      return List.of();
    }
    List<Map<String, Object>> entries = new ArrayList<>();
    for (Node item : seq.getValue()) {
      if (item instanceof MappingNode) {
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) YamlValues.plain(item);
        entries.add(entry);
      } else {
        problems.add(
            item.getStartMark(),
            at + " lists mappings ({os: linux, java: 21}), not " + Mapping.shape(item));
      }
    }
    return entries;
  }
}
