package dev.tagflow.bench.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.local.LocalSetupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FluxBuildTest {

  @TempDir Path temp;

  private static final List<String> KUSTOMIZE_CONTROLLER_SHAPE =
      List.of(
          "module github.com/fluxcd/kustomize-controller",
          "",
          "go 1.26.0",
          "",
          "replace github.com/fluxcd/kustomize-controller/api => ./api",
          "",
          "// Replace digest lib to master to gather access to BLAKE3.",
          "replace github.com/opencontainers/go-digest => github.com/opencontainers/go-digest"
              + " v1.0.1-0.20220411205349-bde1400a84be",
          "",
          "replace (",
          "\tsigs.k8s.io/kustomize/api => sigs.k8s.io/kustomize/api v0.21.1 // pinned",
          "\tsigs.k8s.io/kustomize/kyaml => sigs.k8s.io/kustomize/kyaml v0.21.1",
          ")",
          "",
          "require (",
          "\tgithub.com/fluxcd/pkg/runtime v0.90.0",
          ")");

  @Test
  void theScratchModuleRepeatsTheReplaceLinesToOtherModulesAndDropsTheLocalOne() {
    String goMod =
        FluxBuild.scratchGoMod(
            new FluxBuild.Controller("kustomize-controller", List.of()),
            KUSTOMIZE_CONTROLLER_SHAPE);

    assertThat(goMod)
        .startsWith("module tagflow.local/flux-kustomize-controller\n\ngo 1.26.0\n")
        .contains("require github.com/fluxcd/kustomize-controller v1.9.6\n")
        .contains(
            "\tgithub.com/opencontainers/go-digest => github.com/opencontainers/go-digest"
                + " v1.0.1-0.20220411205349-bde1400a84be\n")
        .contains("\tsigs.k8s.io/kustomize/api => sigs.k8s.io/kustomize/api v0.21.1\n")
        .contains("\tsigs.k8s.io/kustomize/kyaml => sigs.k8s.io/kustomize/kyaml v0.21.1\n")
        .doesNotContain("./api")
        .doesNotContain("pinned")
        .doesNotContain("fluxcd/pkg/runtime");
  }

  @Test
  void sourceControllerGetsTheArtifactModuleTheProxyServes() {
    FluxBuild.Controller source = FluxBuild.CONTROLLERS.getFirst();

    String goMod = FluxBuild.scratchGoMod(source, KUSTOMIZE_CONTROLLER_SHAPE);

    assertThat(source.name()).isEqualTo("source-controller");
    assertThat(goMod)
        .contains("\tgithub.com/fluxcd/pkg/artifact => github.com/fluxcd/pkg/artifact v0.18.0\n");
  }

  @Test
  void aModuleThatCannotBeFetchedFailsWithTheGoOutputAndWhatToFix() throws Exception {
    // A real go run: an empty module cache and no proxy, so the controller's module is not there.
    Map<String, String> environment = new java.util.HashMap<>(System.getenv());
    environment.put("GOMODCACHE", Files.createDirectories(temp.resolve("modcache")).toString());
    environment.put("GOPROXY", "off");
    environment.put("GOFLAGS", "-mod=mod");
    List<String> progress = new ArrayList<>();
    FluxBuild build = new FluxBuild(temp.resolve("cache"), environment, progress::add);

    assertThatThrownBy(build::ensureBuilt)
        .isInstanceOf(LocalSetupException.class)
        .hasMessageContaining("building Flux's controllers failed")
        .hasMessageContaining("github.com/fluxcd/source-controller@v1.9.6")
        .hasMessageContaining("module proxy reachable");
    assertThat(progress.getFirst()).contains("Building Flux's source-controller");
    assertThat(build.bin().resolve(".complete")).doesNotExist();
    assertThat(temp.resolve("cache/flux/v1.9.6/bin")).doesNotExist();
  }
}
