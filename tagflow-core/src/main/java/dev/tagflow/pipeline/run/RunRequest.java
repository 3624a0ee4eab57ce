package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.workflow.Workflow;
import java.util.Map;
import java.util.Objects;

/**
 * One run to make: a workflow, at one commit, for one event.
 *
 * @param runId unique among the runs of the data directory; names the run's directory ({@code
 *     [A-Za-z0-9._-]}, up to 64 characters)
 * @param repository {@code owner/name}, as {@code github.repository}
 * @param repositoryUrl where {@code actions/checkout} clones from (a path or URL JGit reads; the
 *     repository cache's copy of the repository the run came from)
 * @param commit the full commit id the run is for
 * @param secrets the secrets the workflow may read; masked in every line of the log
 * @param vars {@code vars.*}
 */
public record RunRequest(
    String runId,
    Workflow workflow,
    RunEvent event,
    String repository,
    String repositoryUrl,
    String commit,
    Map<String, String> secrets,
    Map<String, String> vars) {

  public RunRequest {
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(event, "event");
    if (runId == null || !runId.matches("[A-Za-z0-9._-]{1,64}") || runId.startsWith(".")) {
      throw new IllegalArgumentException(
          "a run id is 1 to 64 of A-Z a-z 0-9 . _ - and does not start with '.': " + runId);
    }
    if (commit == null || !commit.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a run is for a full commit id, not '" + commit + "'");
    }
    secrets = Map.copyOf(secrets);
    vars = Map.copyOf(vars);
  }
}
