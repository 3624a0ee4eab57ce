package dev.tagflow.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the kubectl whose {@code kustomize} renders Kustomize sources: on the PATH, else the one
 * {@code tagflow cluster build} made under the cache folder.
 */
final class KubectlFinder {

  Optional<Path> find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    Path controlPlanes = cacheRoot().resolve("controlplane");
    if (!Files.isDirectory(controlPlanes)) {
      return Optional.empty();
    }
    try (Stream<Path> builds = Files.list(controlPlanes)) {
      return builds
          .map(b -> b.resolve("bin/kubectl"))
          .filter(Files::isExecutable)
          .sorted()
          .findFirst();
    } catch (IOException e) {
      // Without kubectl only Kustomize sources fail, and they say so.
      return Optional.empty();
    }
  }

  /** Where {@code tagflow cluster build} keeps the control plane (with its kubectl). */
  private static Path cacheRoot() {
    String cache = System.getenv("TAGFLOW_CACHE");
    if (cache != null && !cache.isBlank()) {
      return Path.of(cache);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "tagflow");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "tagflow");
  }
}
