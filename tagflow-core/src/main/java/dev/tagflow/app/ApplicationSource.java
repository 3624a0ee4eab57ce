package dev.tagflow.app;

import java.util.Objects;

/**
 * Where an application's manifests come from: a path of a Git repository at a revision, read as
 * plain manifests, a Helm chart or a Kustomize overlay.
 *
 * @param repoURL the Git repository
 * @param targetRevision a branch, tag, commit or semver range over tags ({@code ">=1.2.0 <2.0.0"});
 *     {@code HEAD} when not given
 * @param path the directory in the repository, {@code ""} for its root
 * @param type how the path is read
 */
public record ApplicationSource(
    String repoURL, String targetRevision, String path, SourceType type) {

  public ApplicationSource {
    Objects.requireNonNull(repoURL, "repoURL");
    Objects.requireNonNull(targetRevision, "targetRevision");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
  }
}
