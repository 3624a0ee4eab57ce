package dev.tagflow.render;

import java.util.Objects;

/**
 * What to render: a path of a repository at a revision, read as a directory of manifests, a Helm
 * chart or a Kustomize overlay. The renderer's own input, so it does not depend on how Applications
 * are written; the application model maps onto it.
 *
 * @param application the name used in log lines and error messages (an Application's name)
 * @param repoURL the repository holding {@code path}
 * @param path the directory in the repository, relative to its root ({@code ""} for the root)
 * @param targetRevision the revision as written (the caller resolves it into a {@code Revision})
 * @param kind how to read the path
 */
public record RenderSource(
    String application, String repoURL, String path, String targetRevision, SourceKind kind) {

  public RenderSource {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(repoURL, "repoURL");
    path = path == null ? "" : path;
    targetRevision = targetRevision == null ? "HEAD" : targetRevision;
    Objects.requireNonNull(kind, "kind");
  }

  /** The path as shown to people: {@code .} for the repository's root. */
  public String shownPath() {
    return path.isEmpty() || path.equals(".") ? "." : path;
  }
}
