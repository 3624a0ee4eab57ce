package dev.tagflow.cli;

import dev.tagflow.local.cluster.ClusterOptions;
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
    Path controlPlanes = ClusterOptions.defaultCacheRoot(System.getenv()).resolve("controlplane");
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
}
