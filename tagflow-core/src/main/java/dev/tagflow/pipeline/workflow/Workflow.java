package dev.tagflow.pipeline.workflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /** The name shown for the workflow: its {@code name}, else its file, as GitHub does. */
  public String displayName() {
    return name.map(Text::value).orElse(file);
  }
}
