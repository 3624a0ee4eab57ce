package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.LocalSetupException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void versionPrintsTheBuildsVersion() {
    assertThat(run("--version")).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).startsWith("tagflow ").doesNotContain("unknown");
  }

  @Test
  void helpListsTheVerbs() {
    assertThat(run("--help")).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("demo", "cluster", "repo", "server");
  }

  @Test
  void anUnknownOptionIsInvalidInputWithOneLineAndAHint() {
    assertThat(run("cluster", "up", "--colour", "red")).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString())
        .startsWith("tagflow: Unknown options: '--colour', 'red'")
        .contains("Run 'tagflow cluster up --help' for usage.");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aUserErrorIsOneLineOnStderrWithoutAStackTrace(@TempDir Path data) {
    int code = run("cluster", "kubeconfig", "--name", "absent", "--data-dir", data.toString());

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString().strip())
        .isEqualTo(
            "tagflow: cluster 'absent' has no kubeconfig at "
                + data.resolve("clusters/absent/kubeconfig")
                + "; start it with: ./tagflow cluster up --name absent");
  }

  @Test
  void debugShowsTheStackTraceOfAFailure(@TempDir Path data) {
    int code =
        run("cluster", "kubeconfig", "--name", "absent", "--data-dir", data.toString(), "--debug");

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("at dev.tagflow.cli.ClusterKubeconfigCommand.call");
  }

  @Test
  void anInvalidClusterNameIsRefused(@TempDir Path data) {
    assertThat(run("cluster", "status", "--name", "Not_Valid", "--data-dir", data.toString()))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("is not a valid cluster name");
  }

  @Test
  void aFailureOfTheLocalSetupHasTheExitCodeOfItsKind() {
    assertThat(Main.exitCodeOf(LocalSetupException.invalidInput("port 80 is outside 1024-65535")))
        .isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(Main.exitCodeOf(LocalSetupException.failed("etcd did not start")))
        .isEqualTo(ExitCode.FAILED);
  }

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
