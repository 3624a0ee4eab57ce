package dev.tagflow.pipeline.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.pipeline.image.ImageBuildException.Failure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A spec is checked before any layer is built or any registry is contacted. */
class ImageSpecCheckTest {

  @TempDir Path work;

  private BuiltImage build(ImageSpec spec) {
    return new ImageBuilder(work.resolve("cache")).build(spec);
  }

  private Path jar() throws Exception {
    return Files.write(work.resolve("app.jar"), new byte[] {1, 2, 3});
  }

  // An address nothing listens on: if a check let a spec through, the build would fail otherwise.
  private static final String TARGET = "127.0.0.1:1/shop/web";

  @Test
  void aJarThatDoesNotExistIsNamedWithItsPath() {
    Path missing = work.resolve("target/web-1.2.3.jar");
    ImageSpec spec =
        ImageSpec.of("scratch", new ImageContent.Jar(missing), List.of(), TARGET, List.of("1.2.3"));

    assertThatThrownBy(() -> build(spec))
        .isInstanceOfSatisfying(
            ImageBuildException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(Failure.INVALID_SPEC);
              assertThat(e.reason()).isEqualTo(TagflowException.Reason.INVALID_INPUT);
            })
        .hasMessage(
            "the jar "
                + missing
                + " does not exist; build it in an earlier step, or fix jar: to the file the"
                + " build writes");
  }

  @Test
  void aDirectoryGivenAsTheJarIsNotARegularFile() {
    ImageSpec spec =
        ImageSpec.of("scratch", new ImageContent.Jar(work), List.of(), TARGET, List.of("1"));

    assertThatThrownBy(() -> build(spec)).hasMessageContaining("is not a regular file");
  }

  @Test
  void aDirectoryNeedsAnEntrypoint() throws Exception {
    Files.createDirectories(work.resolve("dist"));
    ImageSpec spec =
        ImageSpec.of(
            "scratch",
            new ImageContent.Directory(work.resolve("dist")),
            List.of(),
            TARGET,
            List.of("1"));

    assertThatThrownBy(() -> build(spec))
        .hasMessageContaining("no entrypoint for image " + TARGET)
        .hasMessageContaining("entrypoint: [...]");
  }

  @Test
  void aMissingDirectoryIsNamed() {
    ImageSpec spec =
        ImageSpec.of(
            "scratch",
            new ImageContent.Directory(work.resolve("nope")),
            List.of("/app/run"),
            TARGET,
            List.of("1"));

    assertThatThrownBy(() -> build(spec)).hasMessageContaining("does not exist; build it");
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.2.3/evil", "-starts-with-dash", ".dot", "tag with space", "ünï", ""})
  void aTagThatIsNotAnImageTagIsRefused(String tag) throws Exception {
    ImageSpec spec =
        ImageSpec.of("scratch", new ImageContent.Jar(jar()), List.of(), TARGET, List.of(tag));

    assertThatThrownBy(() -> build(spec))
        .isInstanceOf(ImageBuildException.class)
        .hasMessageContaining(
            "tag '" + tag + "' for image " + TARGET + " is not a valid image tag");
  }

  @Test
  void aTagOf129CharactersIsRefusedAnd128Pass() throws Exception {
    ImageSpec tooLong =
        ImageSpec.of(
            "scratch", new ImageContent.Jar(jar()), List.of(), TARGET, List.of("a".repeat(129)));
    assertThatThrownBy(() -> build(tooLong)).hasMessageContaining("is not a valid image tag");

    // 128 passes the checks and reaches the (closed) registry.
    ImageSpec longest = tooLong.withTags(List.of("a".repeat(128)));
    assertThatThrownBy(() -> build(longest))
        .isInstanceOfSatisfying(
            ImageBuildException.class,
            e -> assertThat(e.failure()).isNotEqualTo(Failure.INVALID_SPEC));
  }

  @Test
  void noTagIsRefused() throws Exception {
    ImageSpec spec =
        ImageSpec.of("scratch", new ImageContent.Jar(jar()), List.of(), TARGET, List.of());

    assertThatThrownBy(() -> build(spec)).hasMessageContaining("no tags for image");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1:5000/web:1.0",
        "127.0.0.1:5000/web@sha256:0000000000000000000000000000000000000000000000000000000000000000"
      })
  void anImageWithATagOrDigestIsRefused(String image) throws Exception {
    ImageSpec spec =
        ImageSpec.of("scratch", new ImageContent.Jar(jar()), List.of(), image, List.of("1"));

    assertThatThrownBy(() -> build(spec)).hasMessageContaining("carries a tag or digest");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:5000/Shop/Web", "127.0.0.1:5000/web..x", " "})
  void anImageThatIsNotARepositoryNameIsRefused(String image) throws Exception {
    ImageSpec spec =
        ImageSpec.of("scratch", new ImageContent.Jar(jar()), List.of(), image, List.of("1"));

    assertThatThrownBy(() -> build(spec))
        .isInstanceOfSatisfying(
            ImageBuildException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.INVALID_SPEC));
  }

  @Test
  void aBaseThatIsNotAReferenceIsRefused() throws Exception {
    ImageSpec spec =
        ImageSpec.of(
            "Not A Reference!", new ImageContent.Jar(jar()), List.of(), TARGET, List.of("1"));

    assertThatThrownBy(() -> build(spec))
        .hasMessageContaining("from: Not A Reference! is not an image reference");
  }

  @Test
  void aRegistryHostThatDoesNotResolveIsUnreachableNamingIt() throws Exception {
    ImageSpec spec =
        ImageSpec.of(
            "scratch",
            new ImageContent.Jar(jar()),
            List.of(),
            "no-such-registry.invalid/shop/web",
            List.of("1"));

    assertThatThrownBy(() -> build(spec))
        .isInstanceOfSatisfying(
            ImageBuildException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.REGISTRY_UNREACHABLE))
        .hasMessageStartingWith("could not reach the registry no-such-registry.invalid");
  }

  @Test
  void credentialsAreFoundByRegistryWithDockerHubsAliasesAndNeverPrinted() {
    RegistryCredential hub = new RegistryCredential("me", "hub-password");
    ImageSpec spec =
        new ImageSpec(
            "scratch",
            new ImageContent.Jar(work.resolve("x.jar")),
            List.of(),
            TARGET,
            List.of("1"),
            Map.of("docker.io", hub, "GHCR.io", new RegistryCredential("u", "p")),
            Set.of());

    assertThat(ImageBuilder.credentialFor("registry-1.docker.io", spec)).contains(hub);
    assertThat(ImageBuilder.credentialFor("ghcr.io", spec)).isPresent();
    assertThat(ImageBuilder.credentialFor("quay.io", spec)).isEmpty();
    assertThat(spec.toString()).doesNotContain("hub-password");
  }

  @Test
  void loopbackIsDecidedByTheLiteralNameNeverByDns() {
    assertThat(RegistryAccess.isLoopback("127.0.0.1")).isTrue();
    assertThat(RegistryAccess.isLoopback("127.1.2.3")).isTrue();
    assertThat(RegistryAccess.isLoopback("localhost")).isTrue();
    assertThat(RegistryAccess.isLoopback("::1")).isTrue();
    assertThat(RegistryAccess.isLoopback("127.0.0.1.nip.io")).isFalse();
    assertThat(RegistryAccess.isLoopback("127.0.0.256")).isFalse();
    assertThat(RegistryAccess.isLoopback("128.0.0.1")).isFalse();
    assertThat(RegistryAccess.isLoopback("localhost.example.com")).isFalse();

    RegistryAccess access = new RegistryAccess(Set.of("registry.lan:5000"));
    assertThat(access.mayBeInsecure("127.0.0.1:5000")).isTrue();
    assertThat(access.mayBeInsecure("[::1]:5000")).isTrue();
    assertThat(access.mayBeInsecure("REGISTRY.lan:5000")).isTrue();
    assertThat(access.mayBeInsecure("registry.lan:5001")).isFalse();
    assertThat(access.mayBeInsecure("ghcr.io")).isFalse();
  }
}
