package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.action.ActionSource;
import dev.tagflow.pipeline.expression.Value;
import dev.tagflow.pipeline.image.ImageBuilder;
import dev.tagflow.pipeline.workflow.Workflow;
import dev.tagflow.promote.EnvRepoWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What every job of a run shares: the request, the run's directory and log, the contexts that do
 * not change during the run, the host environment steps start from, and what the built-in steps
 * {@code tagflow/image} and {@code tagflow/promote} build and write with, the host's cache and JDKs
 * for {@code actions/cache} and {@code actions/setup-java}, and where remote actions come from.
 */
record RunScope(
    RunRequest request,
    Path directory,
    RunLog log,
    Cancellation cancellation,
    Map<String, String> host,
    ImageBuilder images,
    Optional<EnvRepoWriter> promotions,
    HostTools tools,
    ActionSource actions) {

  /** Host variables a step inherits; the rest of the server's environment stays out of steps. */
  static final java.util.List<String> INHERITED =
      java.util.List.of(
          "PATH",
          "HOME",
          "USER",
          "LOGNAME",
          "LANG",
          "LANGUAGE",
          "LC_ALL",
          "LC_CTYPE",
          "TZ",
          "TMPDIR",
          "JAVA_HOME",
          "SHELL",
          "PYENV_ROOT");

  static Map<String, String> hostEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : INHERITED) {
      String value = System.getenv(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
    return env;
  }

  Workflow workflow() {
    return request.workflow();
  }

  /** {@code github.*} for a job: GitHub's names, with Tagflow's values. */
  Value github(String job, Path workspace) {
    RunRequest r = request;
    Map<String, Value> github = new LinkedHashMap<>();
    github.put("ref", Value.of(r.event().ref().ref()));
    github.put("ref_name", Value.of(r.event().ref().name()));
    github.put("ref_type", Value.of(refType()));
    github.put("sha", Value.of(r.commit()));
    github.put("repository", Value.of(r.repository()));
    github.put("repository_owner", Value.of(owner()));
    github.put("run_id", Value.of(r.runId()));
    github.put("run_number", Value.of("1"));
    github.put("run_attempt", Value.of("1"));
    github.put("event_name", Value.of(r.event().name()));
    github.put("workflow", Value.of(r.workflow().displayName()));
    github.put("job", Value.of(job));
    github.put("actor", Value.of("tagflow"));
    github.put("workspace", Value.of(workspace.toString()));
    Map<String, Value> inputs = new LinkedHashMap<>();
    r.event().inputs().forEach((k, v) -> inputs.put(k, Value.of(v)));
    github.put(
        "event",
        Value.object(
            Map.of("inputs", Value.object(inputs), "ref", Value.of(r.event().ref().ref()))));
    return Value.object(github);
  }

  String refType() {
    return request.event().ref().kind().name().toLowerCase(java.util.Locale.ROOT);
  }

  String owner() {
    int slash = request.repository().indexOf('/');
    return slash < 0 ? request.repository() : request.repository().substring(0, slash);
  }

  static Value strings(Map<String, String> values) {
    Map<String, Value> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, Value.of(v)));
    return Value.object(out);
  }
}
