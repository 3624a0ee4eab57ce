package dev.tagflow.pipeline.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tagflow.app.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tag-triggered release workflows of well-known Java projects, as they are on GitHub (test
 * resources under pipeline/real, each with its origin on the first line): each loads, or is refused
 * only for what Tagflow does not run, with the line it is on.
 */
class RealWorkflowsTest {

  private final WorkflowLoader loader = new WorkflowLoader();

  @Test
  void okhttpsPublishWorkflowLoadsAndRunsOnEveryTagButNoBranch() {
    Workflow w = load("square-okhttp-publish.yml");

    assertThat(w.displayName()).isEqualTo("publish");
    assertThat(w.on().startsOn(RefPush.tag("parent-5.0.0"))).isTrue();
    assertThat(w.on().startsOn(RefPush.tag("release/5.0.0"))).isTrue();
    assertThat(w.on().startsOn(RefPush.branch("master"))).isFalse();
    Job publish = w.jobs().get("publish");
    assertThat(publish.runsOn()).map(Text::value).contains("macos-15");
    assertThat(publish.steps()).hasSize(3);
    assertThat(publish.steps().get(0).action())
        .isEqualTo(
            new StepAction.Uses(
                new ActionRef.BuiltIn(
                    BuiltInAction.CHECKOUT, java.util.Optional.of("v6"), "actions/checkout@v6"),
                new Text("actions/checkout@v6", new Position(17, 15)),
                java.util.Map.of()));
    assertThat(publish.steps().get(2).env())
        .containsKey("ORG_GRADLE_PROJECT_signingInMemoryKeyPassword");
  }

  @Test
  void armeriasReleaseRunsOnItsPrefixedTagsWithItsRemoteActionsKept() {
    Workflow w = load("line-armeria-publish-release.yml");

    assertThat(w.on().startsOn(RefPush.tag("armeria-1.30.0"))).isTrue();
    assertThat(w.on().startsOn(RefPush.tag("v1.30.0"))).isFalse();
    List<Step> steps = w.jobs().get("publish").steps();
    assertThat(steps.get(1).id()).contains("setup-jdk-21");
    assertThat(((StepAction.Uses) steps.get(2).action()).action())
        .isEqualTo(
            new ActionRef.Remote(
                "gradle", "actions", "setup-gradle", "v3", "gradle/actions/setup-gradle@v3"));
    assertThat(((StepAction.Run) steps.get(3).action()).shell()).map(Text::value).contains("bash");
    assertThat(((StepAction.Run) steps.get(6).action()).workingDirectory())
        .map(Text::value)
        .contains(".github/actions");
    assertThat(w.jobs().get("publish").condition())
        .map(Text::value)
        .contains("github.repository == 'line/armeria'");
  }

  @Test
  void spotbugsReleaseRunsOnTagsAndOnItsMasterBranch() {
    Workflow w = load("spotbugs-release.yml");

    assertThat(w.on().startsOn(RefPush.tag("4.8.6"))).isTrue();
    assertThat(w.on().startsOn(RefPush.branch("master"))).isTrue();
    assertThat(w.on().startsOn(RefPush.branch("feature/x"))).isFalse();
    assertThat(w.jobs().get("build").steps()).hasSize(10);
  }

  @Test
  void pmdsBuildKeepsItsMatrixDispatchInputAndOtherEvents() {
    Workflow w = load("pmd-build.yml");

    assertThat(w.on().events())
        .containsExactly("push", "pull_request", "merge_group", "schedule", "workflow_dispatch");
    assertThat(w.on().dispatch().orElseThrow().get("build_cli_dist_only"))
        .satisfies(
            input -> {
              assertThat(input.type()).isEqualTo(DispatchInput.Type.BOOLEAN);
              assertThat(input.required()).isTrue();
              assertThat(input.defaultValue()).contains("false");
            });
    Matrix.Values matrix = (Matrix.Values) w.jobs().get("build").strategy().orElseThrow().matrix();
    assertThat(matrix.combinations()).hasSize(3);
    assertThat(w.on().startsOn(RefPush.tag("pmd_releases/7.0.0"))).isTrue();
  }

  @Test
  void mockitosCiIgnoresItsReleaseTagsAndRunsOnItsReleaseBranch() {
    Workflow w = load("mockito-ci.yml");

    assertThat(w.on().startsOn(RefPush.tag("v3.12.4"))).isFalse();
    assertThat(w.on().startsOn(RefPush.branch("release/3.x"))).isTrue();
    assertThat(w.jobs().get("release").needs()).containsExactly("build");
    assertThat(w.jobs().get("release").condition().orElseThrow().value())
        .startsWith("github.event_name == 'push' && github.ref == 'refs/heads/release/3.x'");
    Matrix.Values matrix = (Matrix.Values) w.jobs().get("build").strategy().orElseThrow().matrix();
    assertThat(matrix.combinations()).hasSize(6);
  }

  @Test
  void openrewritesPublishIsRefusedForItsReusableWorkflowOnly() {
    List<Problem> problems = problems("openrewrite-rewrite-publish.yml");

    assertThat(problems)
        .extracting(Problem::toString)
        .containsExactly(
            "openrewrite-rewrite-publish.yml:17:5: jobs.release.uses calls a reusable workflow,"
                + " which Tagflow does not run; copy the called workflow's jobs into this"
                + " workflow, or make the shared steps a composite action (uses:"
                + " ./.github/actions/<name> in a step), which Tagflow runs");
  }

  @Test
  void dolphinschedulersDockerPublishIsRefusedForItsDockerActionsOnly() {
    List<Problem> problems = problems("apache-dolphinscheduler-publish-docker.yaml");

    assertThat(problems)
        .extracting(p -> p.line() + ": " + p.message())
        .containsExactly(
            "61: jobs.build.steps[3].uses 'docker/login-action@v2' is not supported: registry"
                + " credentials come from Tagflow's secrets (tagflow secret set), and"
                + " tagflow/image uses them; remove this step",
            "67: jobs.build.steps[4].uses 'docker/setup-qemu-action@v2' is not supported:"
                + " tagflow/image builds images without Docker or QEMU; remove this step",
            "69: jobs.build.steps[5].uses 'docker/setup-buildx-action@v2' is not supported:"
                + " tagflow/image builds images without Docker or Buildx; remove this step");
  }

  private Workflow load(String name) {
    return loader.load(name, resource(name));
  }

  private List<Problem> problems(String name) {
    return assertThrows(InvalidWorkflowException.class, () -> load(name)).problems();
  }

  static String resource(String name) {
    try (InputStream in = RealWorkflowsTest.class.getResourceAsStream("/pipeline/real/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
