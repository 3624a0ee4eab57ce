package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void manifestsRefuseASymbolicLinkOutOfTheDirectoryWithoutShowingItsContent(@TempDir Path temp)
      throws IOException {
    Path secret = temp.resolve("secret.yaml");
    Files.writeString(secret, "password: hunter2-not-yaml: [\n");
    Path manifests = Files.createDirectories(temp.resolve("k8s"));
    Files.createSymbolicLink(manifests.resolve("leak.yaml"), secret);

    int code = run("sync", "--manifests", manifests.toString(), "--app", "web", "-n", "web");

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString())
        .contains("leak.yaml is a symbolic link to a file outside")
        .doesNotContain("hunter2");
    assertThat(out.toString()).doesNotContain("hunter2");
  }

  @Test
  void manifestsRefuseAFifoInsteadOfBlockingOnIt(@TempDir Path temp) throws Exception {
    Path manifests = Files.createDirectories(temp.resolve("k8s"));
    Process mkfifo =
        new ProcessBuilder("mkfifo", manifests.resolve("pipe.yaml").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();

    int code = run("diff", "--manifests", manifests.toString(), "--app", "web", "-n", "web");

    assertThat(code).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(err.toString()).contains("pipe.yaml is not a regular file");
  }

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
