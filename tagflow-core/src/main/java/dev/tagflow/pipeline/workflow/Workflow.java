package dev.tagflow.pipeline.workflow;

import dev.tagflow.pipeline.expression.Condition;
import dev.tagflow.pipeline.expression.ExpressionException;
import dev.tagflow.pipeline.expression.Template;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One workflow file, read whole.
 *
 * @param file its path from the repository's root, {@code .github/workflows/release.yml}
 * @param name {@code name:}; GitHub shows the file's path when there is none
 * @param jobs by id, in the order written
 * @param expressions every value that is or may hold an expression, with its key, in file order
 */
public record Workflow(
    String file,
    Optional<Text> name,
    Optional<Text> runName,
    Triggers on,
    Map<String, Text> env,
    RunDefaults defaults,
    Map<String, Job> jobs,
    List<ExpressionSite> expressions) {

  public Workflow {
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    jobs = Collections.unmodifiableMap(new LinkedHashMap<>(jobs));
    expressions = List.copyOf(expressions);
  }

  /**
   * The secrets the workflow names: {@code NAME} of every {@code secrets.NAME} (or {@code
   * secrets['NAME']}) in any of its expressions, in upper case as GitHub compares them. Only these
   * are given to a run.
   */
  public SortedSet<String> secretNames() {
    SortedSet<String> names = new TreeSet<>();
    for (ExpressionSite site : expressions) {
      if (!site.isExpression()) {
        continue;
      }
      try {
        Set<String> keys =
            site.condition()
                ? Condition.parse(site.text().value()).keysReadFrom("secrets")
                : Template.parse(site.text().value()).keysReadFrom("secrets");
        keys.forEach(k -> names.add(k.toUpperCase(Locale.ROOT)));
      } catch (ExpressionException e) {
        // refused when the workflow was loaded; it names nothing
      }
    }
    return names;
  }

  /** The name shown for the workflow: its {@code name}, else its file, as GitHub does. */
  public String displayName() {
    return name.map(Text::value).orElse(file);
  }
}
