package dev.tagflow.render;

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
 */
public record RenderOptions(
    Path workDir, Optional<Path> kubectl, int cacheEntries, Duration kustomizeTimeout) {

  public RenderOptions {
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(kubectl, "kubectl");
    if (cacheEntries < 0) {
      throw new IllegalArgumentException("cacheEntries must not be negative");
    }
    Objects.requireNonNull(kustomizeTimeout, "kustomizeTimeout");
  }

  /** 1,000 cached sources and a minute for kustomize: enough for a controller of many apps. */
  public static RenderOptions defaults(Path workDir, Optional<Path> kubectl) {
    return new RenderOptions(workDir, kubectl, 1000, Duration.ofMinutes(1));
  }
}
