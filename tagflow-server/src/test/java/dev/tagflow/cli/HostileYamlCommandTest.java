package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile YAML given to the command line (issue 8, defect 4): refused before anything else is done,
 * with the file and the limit, and an exit code of invalid input.
 */
class HostileYamlCommandTest {

  /** Only a guard against a hang: each attack fails at once. */
  static final Duration HANG_GUARD = Duration.ofSeconds(10);

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** 30 chained aliases: 1 KB of YAML standing for two billion values. */
  static String laughs(String indent) {
    StringBuilder yaml = new StringBuilder(indent + "l0: &l0 [lol, lol]\n");
    for (int i = 1; i <= 30; i++) {
      yaml.append(indent).append("l").append(i).append(": &l").append(i);
      yaml.append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
    }
    return yaml.toString();
  }

  @Test
  void syncRefusesABillionLaughsInAnApplicationFile() throws Exception {
    Path app =
        Files.writeString(
            dir.resolve("app.yaml"),
            "apiVersion: tagflow.dev/v1alpha1\nkind: Application\nmetadata: {name: web}\n"
                + "spec:\n  source:\n    repoURL: https://example.com/env.git\n    helm:\n"
                + "      values:\n"
                + laughs("        ")
                + "  destination: {cluster: local, namespace: web}\n");

    int code = assertTimeoutPreemptively(HANG_GUARD, () -> run("sync", app.toString()));

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains(app + ":").contains("more than 1,000,000 nodes");
  }

  @Test
  void syncRefusesABillionLaughsInManifests() throws Exception {
    Path manifests = Files.createDirectories(dir.resolve("k8s"));
    Files.writeString(
        manifests.resolve("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: laughs}\ndata:\n" + laughs("  "));

    int code =
        assertTimeoutPreemptively(
            HANG_GUARD,
            () -> run("sync", "--manifests", manifests.toString(), "--app", "web", "-n", "web"));

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString())
        .contains(manifests.resolve("cm.yaml") + ":")
        .contains("more than 1,000,000 nodes");
  }

  @Test
  void syncRefusesAManifestOverTheSizeLimitByItsSize() throws Exception {
    Path manifests = Files.createDirectories(dir.resolve("k8s"));
    try (RandomAccessFile sparse =
        new RandomAccessFile(manifests.resolve("huge.yaml").toFile(), "rw")) {
      sparse.setLength(100L * 1024 * 1024);
    }

    int code = run("sync", "--manifests", manifests.toString(), "--app", "web", "-n", "web");

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString())
        .contains(
            manifests.resolve("huge.yaml")
                + " is 104,857,600 bytes, more than the 10 MiB Tagflow reads from one YAML file");
  }

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
