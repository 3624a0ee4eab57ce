package dev.tagflow.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.pipeline.image.ImageBuilder;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.pipeline.workflow.WorkflowLoader;
import dev.tagflow.promote.ReleaseRef;
import dev.tagflow.promote.YamlPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inputs of {@code tagflow/image} and {@code tagflow/promote} refused before anything is built
 * or written (the builds and promotions themselves are in ReleaseStepsIT, against a real registry
 * and real Git).
 */
class ReleaseStepInputsTest {

  private static final String COMMIT = "3f786850e387550fdab836ed7e6dc881de23001b";

  @TempDir Path dir;
  private final List<String> log = new ArrayList<>();

  private RunRequest request(RefPush ref) {
    return new RunRequest(
        "r1",
        new WorkflowLoader()
            .load(
                ".github/workflows/release.yml",
                "on: push\njobs:\n  a:\n    steps:\n      - run: 'true'\n"),
        RunEvent.push(ref),
        "shop/web",
        dir.toString(),
        COMMIT,
        Map.of(),
        Map.of());
  }

  private Map<String, String> image(Map<String, String> with) {
    return ImageStep.run(
        with,
        dir,
        request(RefPush.tag("v1.2.3")),
        new ImageBuilder(dir.resolve("cache")),
        new MaskedValues(),
        log::add);
  }

  @Test
  void tagsDefaultToTheVersionOfTheTagAndTheShortCommit() {
    assertThat(ImageStep.defaultTags(request(RefPush.tag("v1.2.3"))))
        .containsExactly("1.2.3", "3f78685");
    assertThat(ImageStep.defaultTags(request(RefPush.tag("prod-v2.0.0"))))
        .containsExactly("2.0.0", "3f78685");
    assertThat(ImageStep.defaultTags(request(RefPush.branch("main")))).containsExactly("3f78685");
  }

  @Test
  void aJarOutsideTheWorkspaceIsRefused() {
    assertThatThrownBy(() -> image(Map.of("jar", "../../etc/passwd", "image", "127.0.0.1:1/x")))
        .isInstanceOf(StepFailure.class)
        .hasMessageContaining("leaves the workspace");
    assertThatThrownBy(() -> image(Map.of("directory", "/etc", "image", "127.0.0.1:1/x")))
        .isInstanceOf(StepFailure.class)
        .hasMessageContaining("leaves the workspace");
  }

  @Test
  void aLinkInTheWorkspaceToAHostFileIsRefused() throws Exception {
    Path outside = Files.createDirectories(dir.getParent().resolve(dir.getFileName() + "-host"));
    Files.writeString(outside.resolve("host.jar"), "host file");
    Files.createSymbolicLink(dir.resolve("app.jar"), outside.resolve("host.jar"));
    Files.createSymbolicLink(dir.resolve("dist"), outside);

    assertThatThrownBy(() -> image(Map.of("jar", "app.jar", "image", "127.0.0.1:1/x")))
        .isInstanceOf(StepFailure.class)
        .hasMessageContaining("'app.jar' is a link to")
        .hasMessageContaining("outside the workspace");
    assertThatThrownBy(
            () ->
                image(
                    Map.of("directory", "dist", "entrypoint", "/app/x", "image", "127.0.0.1:1/x")))
        .hasMessageContaining("'dist' is a link to");
  }

  @Test
  void missingOrContradictoryInputsAreNamed() throws Exception {
    Files.writeString(dir.resolve("app.jar"), "x");
    assertThatThrownBy(() -> image(Map.of("jar", "app.jar"))).hasMessageContaining("needs 'image'");
    assertThatThrownBy(() -> image(Map.of("image", "127.0.0.1:1/x")))
        .hasMessageContaining("exactly one of 'jar' and 'directory'");
    assertThatThrownBy(
            () -> image(Map.of("jar", "app.jar", "directory", ".", "image", "127.0.0.1:1/x")))
        .hasMessageContaining("exactly one of 'jar' and 'directory'");
    assertThatThrownBy(() -> image(Map.of("jar", "missing.jar", "image", "127.0.0.1:1/x")))
        .hasMessageContaining("'missing.jar' is not a file in the workspace");
    assertThatThrownBy(
            () -> image(Map.of("jar", "app.jar", "image", "127.0.0.1:1/x", "username", "ci")))
        .hasMessageContaining("both 'username' and 'password'");
    assertThatThrownBy(() -> image(Map.of("jar", "app.jar", "image", "x", "push", "yes")))
        .hasMessageContaining("has no input 'push'");
  }

  @Test
  void aBuildFailureFailsTheStepWithItsReasonAndNoPassword() throws Exception {
    Files.writeString(dir.resolve("app.jar"), "x");
    // Port 1 on loopback: nothing listens there, so the push cannot reach a registry.
    assertThatThrownBy(
            () ->
                image(
                    Map.of(
                        "jar", "app.jar",
                        "image", "127.0.0.1:1/shop/web",
                        "username", "ci",
                        "password", "hunter2-secret")))
        .isInstanceOf(StepFailure.class)
        .hasMessageStartingWith("tagflow/image failed (registry_unreachable)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2-secret"));
  }

  @Test
  void setIsOnePathAndValueALine() {
    assertThat(PromoteStep.values("image.tag: 1.2.3\n# a comment\n\nreplicas=3\nname: \"a: b\"\n"))
        .containsExactly(
            Map.entry(YamlPath.parse("image.tag"), "1.2.3"),
            Map.entry(YamlPath.parse("replicas"), "3"),
            Map.entry(YamlPath.parse("name"), "a: b"));
    assertThat(PromoteStep.values("")).isEmpty();
    assertThatThrownBy(() -> PromoteStep.values("image.tag 1.2.3"))
        .isInstanceOf(StepFailure.class)
        .hasMessageContaining("set line 1 'image.tag 1.2.3' is not 'path: value'");
  }

  @Test
  void theReleaseIsTheRunsTagCommitAndTheImageGiven() {
    String digest = "sha256:" + "ab".repeat(32);
    ReleaseRef release =
        PromoteStep.release(
            Map.of("image", "reg/shop/web@" + digest, "digest", digest),
            request(RefPush.tag("v1.2.3")));
    assertThat(release.name()).isEqualTo("web");
    assertThat(release.version()).isEqualTo("1.2.3");
    assertThat(release.commit()).isEqualTo(COMMIT);
    assertThat(release.digest()).contains(digest);
    assertThat(PromoteStep.release(Map.of(), request(RefPush.branch("feature/x"))).version())
        .isEqualTo("feature-x-3f78685");
    assertThatThrownBy(
            () -> PromoteStep.release(Map.of("digest", "latest"), request(RefPush.tag("v1"))))
        .hasMessageContaining("digest 'latest' is not sha256:<64 hex>");
  }

  @Test
  void withoutAWriterThePromoteStepSaysItIsNotConfigured() {
    assertThatThrownBy(
            () ->
                PromoteStep.run(
                    Map.of("repository", "/env.git", "environments", "dev"),
                    request(RefPush.tag("v1.2.3")),
                    Optional.empty(),
                    log::add))
        .hasMessageContaining("no environment repository writer configured");
  }
}
