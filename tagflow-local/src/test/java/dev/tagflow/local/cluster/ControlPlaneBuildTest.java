package dev.tagflow.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.local.LocalSetupException;
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
      new ControlPlaneVersions("v1.37.2", "v3.6.16", "v0.8.0", "v0.9.0");

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
        .isInstanceOf(LocalSetupException.class)
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
            LocalSetupException.class,
            e -> {
              assertThat(e.invalidInput()).isFalse();
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
        new ControlPlaneVersions("v1.0.0-tagflow-missing", "v3.6.16", "v0.8.0", "v0.9.0");
    Map<String, String> environment = new HashMap<>(System.getenv());
    ControlPlaneBuild build = new ControlPlaneBuild(cache, missing, environment, line -> {});

    assertThatThrownBy(build::ensureBuilt)
        .isInstanceOfSatisfying(
            LocalSetupException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("building the local control plane failed")
                    .contains("--- last lines of " + build.directory().resolve("build.log"))
                    .contains("v1.0.0-tagflow-missing")
                    .contains("the build cache is " + build.directory()));
    assertThat(build.isBuilt()).isFalse();
    assertThat(Files.exists(build.directory().resolve("bin"))).isFalse();
  }

  @Test
  void metricsServerHasACacheFolderOfItsOwnSoTheCorePartsKeyDoesNotChange() {
    ControlPlaneVersions older = new ControlPlaneVersions("v1.37.2", "v3.6.16", "v0.8.0", "v0.8.0");

    assertThat(older.cacheKey())
        .isEqualTo(VERSIONS.cacheKey())
        .isEqualTo("k8s-v1.37.2_etcd-v3.6.16_kwok-v0.8.0");
    assertThat(VERSIONS.metricsServerCacheKey()).isEqualTo("metrics-server-v0.9.0");
  }

  @Test
  void aCacheBuiltBeforeMetricsServerJoinedIsKeptAndOnlyMetricsServerIsBuilt(
      @TempDir Path cache, @TempDir Path tools) throws Exception {
    Path coreBin = cache.resolve("controlplane").resolve(VERSIONS.cacheKey()).resolve("bin");
    Files.createDirectories(coreBin);
    Files.writeString(coreBin.resolve(".complete"), "built earlier\n");
    Files.writeString(coreBin.resolve("kube-apiserver"), "the earlier build\n");
    Path goLog = tools.resolve("go-calls.log");
    Path go = fakeGo(tools);
    Map<String, String> environment =
        Map.of("PATH", go.getParent().toString(), "FAKE_GO_LOG", goLog.toString());
    List<String> progress = new ArrayList<>();
    ControlPlaneBuild build =
        new ControlPlaneBuild(cache, VERSIONS, environment, progress::add, List.of());
    assertThat(build.isBuilt()).isFalse();

    ControlPlaneBinaries binaries = build.ensureBuilt();
    build.ensureBuilt();

    assertThat(build.isBuilt()).isTrue();
    assertThat(binaries.kubeApiserver()).hasContent("the earlier build");
    assertThat(binaries.metricsServer())
        .isEqualTo(cache.resolve("controlplane/metrics-server-v0.9.0/bin/metrics-server"))
        .exists();
    assertThat(Files.readAllLines(goLog))
        .singleElement()
        .satisfies(
            call ->
                assertThat(call)
                    .startsWith("install ")
                    .contains("-X k8s.io/client-go/pkg/version.gitVersion=v0.9.0")
                    .endsWith("sigs.k8s.io/metrics-server/cmd/metrics-server@v0.9.0"));
    assertThat(progress).anySatisfy(line -> assertThat(line).contains("metrics-server v0.9.0"));
  }

  /** A {@code go} that records its arguments and "installs" an empty program into GOBIN. */
  private static Path fakeGo(Path tools) throws Exception {
    Path bin = Files.createDirectories(tools.resolve("bin"));
    Path go = bin.resolve("go");
    // Shell built-ins only: the build runs go with exactly the environment it is given.
    Files.writeString(
        go,
        """
        #!/bin/sh
        echo "$*" >> "$FAKE_GO_LOG"
        : > "$GOBIN/metrics-server"
        """);
    go.toFile().setExecutable(true);
    return go;
  }
}
