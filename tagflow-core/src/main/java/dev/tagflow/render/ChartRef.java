package dev.tagflow.render;

import java.util.Objects;

/**
 * Where a Helm chart lives when it is not the source's own path.
 *
 * @param repoURL the repository holding the chart (may be the source's repository)
 * @param path the chart's directory in that repository
 * @param targetRevision the chart's own revision (branch, tag, commit or semver range)
 */
public record ChartRef(String repoURL, String path, String targetRevision) {
  public ChartRef {
    Objects.requireNonNull(repoURL, "repoURL");
    Objects.requireNonNull(path, "path");
    targetRevision = targetRevision == null ? "HEAD" : targetRevision;
  }
}
