package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The two forms of diff and sync, an Application file or --manifests, are checked before use. */
class DiffSyncArgumentsTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void anApplicationFileAndManifestsTogetherAreInvalidInput() {
    int code = run("sync", "app.yaml", "--manifests", "k8s", "--app", "web", "-n", "web");

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("give either an Application file or --manifests, not both");
  }

  @Test
  void neitherAnApplicationFileNorManifestsIsInvalidInputSayingWhatToGive() {
    int code = run("diff");

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString())
        .contains("give an Application file (tagflow sync app.yaml) or --manifests <dir>");
  }

  @Test
  void manifestsWithoutAnApplicationNameOrNamespaceAreInvalidInput() {
    int code = run("sync", "--manifests", "k8s");

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("--manifests needs --app <name> and -n <namespace>");
  }

  @Test
  void aRevisionGoesOnlyWithAnApplicationFile() {
    int code = run("diff", "--manifests", "k8s", "--app", "web", "-n", "web", "--revision", "v1");

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("--revision goes with an Application file");
  }

  @Test
  void anApplicationFileTakesNoAppOrNamespaceFlag() {
    int code = run("diff", "app.yaml", "-n", "web");

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("an Application file names its application");
  }

  @Test
  void syncOptionsFlagsAreRefusedWithAnApplicationFileBecauseGitSaysThem() {
    int code = run("sync", "app.yaml", "--create-namespace", "--prune-last");

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString())
        .contains(
            "--prune-last (PruneLast=true), --create-namespace (CreateNamespace=true): with an"
                + " Application file, write them in spec.syncPolicy.syncOptions");
  }

  @Test
  void aMissingApplicationFileIsInvalidInput() {
    int code = run("sync", "no-such-app.yaml");

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("no-such-app.yaml");
  }

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
