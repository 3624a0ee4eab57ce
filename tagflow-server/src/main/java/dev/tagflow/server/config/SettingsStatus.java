package dev.tagflow.server.config;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of the settings file, for {@code /healthz}: which version runs, and why the file as it
 * is now does not.
 *
 * @param file the settings file
 * @param loadedAt when the running settings were read
 * @param generation 1 for the settings the server started with, one more for each change applied
 * @param error why the file as it is now is not running (every problem, with file:line:column), or
 *     why a change could not be applied; empty when the running settings are the file's
 * @param restartNeeded the keys whose new values take effect only after a restart (listen, dataDir,
 *     database, publicUrl, webhookSecretFile, gitTokenFile)
 */
public record SettingsStatus(
    Path file,
    Instant loadedAt,
    long generation,
    Optional<String> error,
    List<String> restartNeeded) {

  public SettingsStatus {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(loadedAt, "loadedAt");
    Objects.requireNonNull(error, "error");
    restartNeeded = List.copyOf(restartNeeded);
  }
}
