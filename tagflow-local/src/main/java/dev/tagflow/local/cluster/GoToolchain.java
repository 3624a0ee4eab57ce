package dev.tagflow.local.cluster;

import dev.tagflow.local.LocalSetupException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code go} command that builds the control plane, found on the PATH or where Go installs. */
public record GoToolchain(Path go) {

  /** Where Go's installers put {@code go} when it is not on the PATH. */
  public static final List<Path> WELL_KNOWN =
      List.of(Path.of("/usr/local/go/bin/go"), Path.of("/usr/lib/go/bin/go"));

  /** Finds {@code go} on the PATH of {@code environment}, then at {@code wellKnown} paths. */
  public static GoToolchain find(Map<String, String> environment, List<Path> wellKnown) {
    return search(environment, wellKnown)
        .orElseThrow(
            () ->
                LocalSetupException.failed(
                    "the Go toolchain ('go') was not found on the PATH nor in /usr/local/go/bin:"
                        + " Tagflow's testkit builds its local Kubernetes control plane from Go"
                        + " modules once and caches it. Install Go 1.26 or newer, or put its bin"
                        + " folder on the PATH, then run again."));
  }

  static Optional<GoToolchain> search(Map<String, String> environment, List<Path> wellKnown) {
    List<Path> candidates = new ArrayList<>();
    String path = environment.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isBlank()) {
        candidates.add(Path.of(dir, "go"));
      }
    }
    candidates.addAll(wellKnown);
    return candidates.stream()
        .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
        .findFirst()
        .map(GoToolchain::new);
  }
}
