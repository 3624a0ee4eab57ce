package dev.tagflow.render;

import dev.tagflow.yaml.YamlLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the renderer works on this machine.
 *
 * @param workDir where charts and overlays are written out for Helm and kubectl (they read files,
 *     not Git objects); cleaned when the renderer closes
 * @param kubectl the kubectl whose {@code kustomize} builds overlays; Kustomize sources fail with a
 *     clear message without one
 * @param cacheEntries how many rendered sources to keep in memory (least recently used go first)
 * @param kustomizeTimeout how long one {@code kubectl kustomize} may run before it is stopped
 * @param yamlLimits how much YAML one file of a repository may hold (a repository is input from
 *     whoever can push to it); what Helm and kustomize print gets four times the room
 */
public record RenderOptions(
    Path workDir,
    Optional<Path> kubectl,
    int cacheEntries,
    Duration kustomizeTimeout,
    YamlLimits yamlLimits) {

  public RenderOptions {
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(kubectl, "kubectl");
    if (cacheEntries < 0) {
      throw new IllegalArgumentException("cacheEntries must not be negative");
    }
    Objects.requireNonNull(kustomizeTimeout, "kustomizeTimeout");
    Objects.requireNonNull(yamlLimits, "yamlLimits");
  }

  /** With the default YAML limits. */
  public RenderOptions(
      Path workDir, Optional<Path> kubectl, int cacheEntries, Duration kustomizeTimeout) {
    this(workDir, kubectl, cacheEntries, kustomizeTimeout, YamlLimits.defaults());
  }

  /** 1,000 cached sources and a minute for kustomize: enough for a controller of many apps. */
  public static RenderOptions defaults(Path workDir, Optional<Path> kubectl) {
    return new RenderOptions(workDir, kubectl, 1000, Duration.ofMinutes(1));
  }
}
