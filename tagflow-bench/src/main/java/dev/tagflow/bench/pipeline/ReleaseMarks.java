package dev.tagflow.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The release workflow the pipeline bench runs, and the times its steps write: the first step's
 * process writes bash's {@code $EPOCHREALTIME} (the wall clock in microseconds, no process forked)
 * as its first command, the last build step as its last, both into a marks folder the bench reads;
 * then a job of its own promotes to dev with {@code tagflow/promote}, as a release workflow does.
 */
final class ReleaseMarks {

  static final String POLICY =
      """
      apiVersion: tagflow.dev/v1alpha1
      kind: EnvironmentPolicy
      environments:
        - name: dev
          accept:
            - tags: "v*"
          promotion: auto
      """;

  static final String VALUES =
      """
      # Values of web in dev.
      replicaCount: 1
      image:
        repository: registry.local/shop/web
        tag: "0.0.0"   # written by Tagflow
      """;

  private final Path folder;

  ReleaseMarks(Path folder) {
    this.folder = folder;
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The workflow, promoting into the environment repository at {@code envUrl}. */
  String workflow(String envUrl) {
    return """
        on:
          push:
            tags: ['v*']
        env:
          MARKS: '%s'
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - name: first step
                run: printf '%%s' "$EPOCHREALTIME" > "$MARKS/$GITHUB_REF_NAME.first"
              - name: last step
                run: printf '%%s' "$EPOCHREALTIME" > "$MARKS/$GITHUB_REF_NAME.last"
          promote:
            needs: build
            runs-on: ubuntu-latest
            steps:
              - id: promote
                uses: tagflow/promote@v1
                with:
                  repository: %s
                  environments: dev
                  application: web
        """
        .formatted(folder, envUrl);
  }

  /** When the first step's process ran its first command for {@code tag}. */
  Instant firstStepStarted(String tag) {
    return read(tag + ".first");
  }

  /** When the last build step ran its last command for {@code tag}. */
  Instant lastStepEnded(String tag) {
    return read(tag + ".last");
  }

  private Instant read(String name) {
    Path file = folder.resolve(name);
    String text;
    try {
      text = Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("the step did not write " + file, e);
    }
    // $EPOCHREALTIME uses the locale's decimal separator.
    String[] parts = text.split("[.,]");
    if (parts.length != 2) {
      throw new IllegalStateException(file + " holds '" + text + "', not seconds.micros");
    }
    return Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]) * 1_000L);
  }
}
