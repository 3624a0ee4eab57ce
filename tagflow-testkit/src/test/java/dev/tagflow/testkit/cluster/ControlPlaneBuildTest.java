package dev.tagflow.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneBuildTest {

  private static final ControlPlaneVersions VERSIONS =
      new ControlPlaneVersions("v1.37.2", "v3.6.16", "v0.8.0");

  @Test
  void scratchModuleReplacesEveryStagingModuleReadFromTheReleasesGoMod() {
    List<String> goMod =
        List.of(
            "module k8s.io/kubernetes",
            "",
            "go 1.26.0",
            "",
            "godebug default=go1.26",
            "",
            "require (",
            "\tk8s.io/api v0.0.0",
            ")",
            "",
            "replace (",
            "\tk8s.io/api => ./staging/src/k8s.io/api",
            "\tk8s.io/streaming => ./staging/src/k8s.io/streaming",
            ")",
            "replace k8s.io/kubectl => ./staging/src/k8s.io/kubectl");

    String scratch = ControlPlaneBuild.scratchGoMod(goMod, VERSIONS);

    assertThat(scratch)
        .contains("go 1.26.0\n")
        .contains("godebug default=go1.26\n")
        .contains("require k8s.io/kubernetes v1.37.2\n")
        .contains("\tk8s.io/api => k8s.io/api v0.37.2\n")
        .contains("\tk8s.io/streaming => k8s.io/streaming v0.37.2\n")
        .contains("\tk8s.io/kubectl => k8s.io/kubectl v0.37.2\n");
  }

  @Test
  void aGoModWithoutStagingModulesIsRefusedWithAClearError() {
    assertThatThrownBy(
            () ->
                ControlPlaneBuild.scratchGoMod(
                    List.of("module example.com/x", "go 1.26"), VERSIONS))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("names no staging modules");
  }

  @Test
  void versionLdflagsMakeTheProgramsReportTheirRealVersion() {
    String flags = ControlPlaneBuild.versionLdflags(VERSIONS);

    assertThat(flags)
        .contains("-X k8s.io/component-base/version.gitVersion=v1.37.2")
        .contains("-X k8s.io/client-go/pkg/version.gitVersion=v1.37.2")
        .contains("-X k8s.io/component-base/version.gitMinor=37");
  }

  @Test
  void aMissingGoToolchainGivesOneClearErrorAndBuildsNothing(@TempDir Path cache) {
    List<String> progress = new ArrayList<>();
    ControlPlaneBuild build =
        new ControlPlaneBuild(
            cache, VERSIONS, Map.of("PATH", "/nonexistent/bin"), progress::add, List.of());

    assertThatThrownBy(build::ensureBuilt)
        .isInstanceOfSatisfying(
            TagflowException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(TagflowException.Reason.FAILED);
              assertThat(e.getMessage())
                  .contains("the Go toolchain ('go') was not found")
                  .contains("Install Go 1.26 or newer");
            });
    assertThat(build.isBuilt()).isFalse();
    assertThat(progress).isEmpty();
  }

  @Test
  void aFailedBuildPrintsTheTailOfTheBuildLogAndTheCachePath(@TempDir Path cache) {
    // A Kubernetes version that does not exist: the module proxy refuses it at once.
    ControlPlaneVersions missing =
        new ControlPlaneVersions("v1.0.0-tagflow-missing", "v3.6.16", "v0.8.0");
    Map<String, String> environment = new HashMap<>(System.getenv());
    ControlPlaneBuild build = new ControlPlaneBuild(cache, missing, environment, line -> {});

    assertThatThrownBy(build::ensureBuilt)
        .isInstanceOfSatisfying(
            TagflowException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("building the local control plane failed")
                    .contains("--- last lines of " + build.directory().resolve("build.log"))
                    .contains("v1.0.0-tagflow-missing")
                    .contains("the build cache is " + build.directory()));
    assertThat(build.isBuilt()).isFalse();
    assertThat(Files.exists(build.directory().resolve("bin"))).isFalse();
  }
}
