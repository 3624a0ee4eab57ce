package dev.tagflow.pipeline.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import dev.tagflow.local.cluster.PortAllocator;
import dev.tagflow.local.registry.LocalRegistry;
import dev.tagflow.pipeline.image.ImageBuildException.Failure;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** Images built with Jib and pushed to a real registry (Debian's docker-registry) on loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageBuilderIT {

  private static final String COMMIT = "3f786850e387550fdab836ed7e6dc881de23001b";

  private LocalRegistry registry;
  private RegistryApi api;

  @BeforeAll
  void startRegistry(@TempDir Path state) {
    registry = LocalRegistry.start(state.resolve("registry"), 15200, true);
    api = new RegistryApi(registry.url());
  }

  @AfterAll
  void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void fromScratchPushesVersionAndCommitTagsWhoseManifestIsTheReportedDigest(@TempDir Path work)
      throws Exception {
    Path jar = TestJars.write(work.resolve("build/web-1.2.3.jar"), 1, 64 * 1024);
    ImageSpec spec =
        ImageSpec.of(
            "scratch",
            new ImageContent.Jar(jar),
            List.of(),
            registry.address() + "/shop/web",
            List.of("1.2.3", COMMIT));

    BuiltImage built = new ImageBuilder(work.resolve("cache")).build(spec);

    assertThat(built.reference()).isEqualTo(registry.address() + "/shop/web@" + built.digest());
    assertThat(built.tags()).containsExactly("1.2.3", COMMIT);
    assertThat(built.layersPushed()).isEqualTo(1);
    assertThat(built.layersReused()).isZero();
    assertThat(built.bytesPushed()).isGreaterThan(64 * 1024);
    for (String tag : List.of("1.2.3", COMMIT)) {
      RegistryApi.Fetched manifest = api.manifest("shop/web", tag);
      assertThat(manifest.status()).isEqualTo(200);
      assertThat(manifest.bodyDigest()).isEqualTo(built.digest());
      assertThat(manifest.headerDigest()).isEqualTo(built.digest());
      assertThat(manifest.document().path("mediaType").asText())
          .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    }
    JsonNode manifest = api.manifest("shop/web", "1.2.3").document();
    assertThat(manifest.path("layers")).hasSize(1);
    JsonNode config =
        api.blob("shop/web", manifest.path("config").path("digest").asText()).path("config");
    assertThat(texts(config.path("Entrypoint")))
        .containsExactly("java", "-jar", "/app/web-1.2.3.jar");
  }

  @Test
  void fromABaseImageInTheRegistryTheBaseLayersComeFirst(@TempDir Path work) throws Exception {
    String base = pushBase(work, "base/jre", "1", "base layer");
    Path jar = TestJars.write(work.resolve("app.jar"), 2, 32 * 1024);
    ImageSpec spec =
        ImageSpec.of(
            base,
            new ImageContent.Jar(jar),
            List.of("/opt/java/bin/java", "-jar", "/app/app.jar"),
            registry.address() + "/shop/api",
            List.of("2.0.0", COMMIT));

    BuiltImage built = new ImageBuilder(work.resolve("cache")).build(spec);

    JsonNode baseManifest = api.manifest("base/jre", "1").document();
    JsonNode manifest = api.manifest("shop/api", "2.0.0").document();
    assertThat(api.manifest("shop/api", COMMIT).bodyDigest()).isEqualTo(built.digest());
    assertThat(manifest.path("layers")).hasSize(2);
    assertThat(manifest.path("layers").get(0).path("digest").asText())
        .isEqualTo(baseManifest.path("layers").get(0).path("digest").asText());
    JsonNode config =
        api.blob("shop/api", manifest.path("config").path("digest").asText()).path("config");
    assertThat(texts(config.path("Entrypoint")))
        .containsExactly("/opt/java/bin/java", "-jar", "/app/app.jar");
  }

  @Test
  void aSecondBuildOfAnUnchangedJarPushesNoLayerAndGivesTheSameDigest(@TempDir Path work)
      throws Exception {
    String base = pushBase(work, "base/again", "1", "another base");
    Path jar = TestJars.write(work.resolve("app.jar"), 3, 128 * 1024);
    ImageSpec first =
        ImageSpec.of(
            base,
            new ImageContent.Jar(jar),
            List.of(),
            registry.address() + "/shop/same",
            List.of("1.0.0", COMMIT));

    BuiltImage cold = new ImageBuilder(work.resolve("cache")).build(first);
    BuiltImage warm = new ImageBuilder(work.resolve("cache")).build(first);
    // Another machine: an empty cache, the same inputs.
    BuiltImage elsewhere =
        new ImageBuilder(work.resolve("other-cache")).build(first.withTags(List.of("1.0.1")));

    assertThat(cold.layersPushed()).isEqualTo(2);
    assertThat(warm.layersPushed()).isZero();
    assertThat(warm.layersReused()).isEqualTo(2);
    assertThat(warm.bytesPushed()).isZero();
    assertThat(warm.digest()).isEqualTo(cold.digest());
    assertThat(elsewhere.digest()).isEqualTo(cold.digest());
    assertThat(elsewhere.layersPushed()).isZero();
    assertThat(api.manifest("shop/same", "1.0.1").bodyDigest()).isEqualTo(cold.digest());
  }

  @Test
  void aChangedJarPushesOnlyTheApplicationLayer(@TempDir Path work) throws Exception {
    String base = pushBase(work, "base/changed", "1", "base for a changing app");
    Path jar = work.resolve("app.jar");
    ImageSpec spec =
        ImageSpec.of(
            base,
            new ImageContent.Jar(jar),
            List.of(),
            registry.address() + "/shop/changing",
            List.of("1.0.0"));
    TestJars.write(jar, 4, 16 * 1024);
    BuiltImage before = new ImageBuilder(work.resolve("cache")).build(spec);

    TestJars.write(jar, 5, 16 * 1024);
    BuiltImage after =
        new ImageBuilder(work.resolve("cache")).build(spec.withTags(List.of("1.0.1")));

    assertThat(after.digest()).isNotEqualTo(before.digest());
    assertThat(after.layersPushed()).isEqualTo(1);
    assertThat(after.layersReused()).isEqualTo(1);
  }

  @Test
  void aDirectoryIsCopiedUnderApp(@TempDir Path work) throws Exception {
    Path dist = work.resolve("dist");
    Files.createDirectories(dist.resolve("lib"));
    Files.writeString(dist.resolve("run.sh"), "#!/bin/sh\nexec java -cp '/app/lib/*' Main\n");
    Files.writeString(dist.resolve("lib/readme.txt"), "libraries");
    ImageSpec spec =
        ImageSpec.of(
            "scratch",
            new ImageContent.Directory(dist),
            List.of("/app/run.sh"),
            registry.address() + "/shop/dir",
            List.of("0.1.0"));

    BuiltImage built = new ImageBuilder(work.resolve("cache")).build(spec);

    assertThat(built.layersPushed()).isEqualTo(1);
    JsonNode manifest = api.manifest("shop/dir", "0.1.0").document();
    JsonNode config =
        api.blob("shop/dir", manifest.path("config").path("digest").asText()).path("config");
    assertThat(texts(config.path("Entrypoint"))).containsExactly("/app/run.sh");
  }

  @Test
  void aMissingBaseImageIsNamed(@TempDir Path work) throws Exception {
    Path jar = TestJars.write(work.resolve("app.jar"), 6, 1024);
    String missing = registry.address() + "/base/nothing-here:9";
    ImageSpec spec =
        ImageSpec.of(
            missing,
            new ImageContent.Jar(jar),
            List.of(),
            registry.address() + "/shop/orphan",
            List.of("1.0.0"));

    assertThatThrownBy(() -> new ImageBuilder(work.resolve("cache")).build(spec))
        .isInstanceOfSatisfying(
            ImageBuildException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.BASE_IMAGE_NOT_FOUND))
        .hasMessageContaining("the base image " + missing + " was not found")
        .hasMessageContaining("check from:");
    assertThat(api.manifest("shop/orphan", "1.0.0").status()).isEqualTo(404);
  }

  @Test
  void aRegistryThatDoesNotAnswerIsUnreachable(@TempDir Path work) throws Exception {
    Path jar = TestJars.write(work.resolve("app.jar"), 7, 1024);
    int closed = new PortAllocator(15290).next();
    ImageSpec spec =
        ImageSpec.of(
            "scratch",
            new ImageContent.Jar(jar),
            List.of(),
            "127.0.0.1:" + closed + "/shop/nowhere",
            List.of("1.0.0"));

    assertThatThrownBy(() -> new ImageBuilder(work.resolve("cache")).build(spec))
        .isInstanceOfSatisfying(
            ImageBuildException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.REGISTRY_UNREACHABLE))
        .hasMessageStartingWith("could not reach the registry 127.0.0.1:" + closed);
  }

  @Test
  void aWrongPasswordIsAnAuthErrorThatNeverShowsThePassword(@TempDir Path work) throws Exception {
    String password = "right-" + System.nanoTime();
    String wrong = "wrong-" + System.nanoTime();
    Path jar = TestJars.write(work.resolve("app.jar"), 8, 1024);
    ListAppender<ILoggingEvent> logs = captureLogs();
    try (LocalRegistry secured =
        LocalRegistry.startWithLogin(
            work.resolve("secured"), 15300, new LocalRegistry.Login("ci", password))) {
      ImageSpec spec =
          ImageSpec.of(
              "scratch",
              new ImageContent.Jar(jar),
              List.of(),
              secured.address() + "/shop/private",
              List.of("1.0.0"));

      assertThatThrownBy(
              () ->
                  new ImageBuilder(work.resolve("cache"))
                      .build(
                          spec.withCredential(
                              secured.address(), new RegistryCredential("ci", wrong))))
          .isInstanceOfSatisfying(
              ImageBuildException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.AUTH_REFUSED))
          .hasMessageContaining("the registry " + secured.address() + " refused access")
          .hasMessageContaining("check the user name and password")
          .satisfies(e -> assertThat(e.toString()).doesNotContain(wrong).doesNotContain(password));
      assertThatThrownBy(() -> new ImageBuilder(work.resolve("cache")).build(spec))
          .isInstanceOfSatisfying(
              ImageBuildException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.AUTH_REFUSED))
          .hasMessageContaining("without credentials");

      BuiltImage built =
          new ImageBuilder(work.resolve("cache"))
              .build(
                  spec.withCredential(secured.address(), new RegistryCredential("ci", password)));
      assertThat(built.layersPushed()).isEqualTo(1);
    } finally {
      stopCapturing(logs);
    }
    assertThat(logs.list).isNotEmpty();
    assertThat(logs.list)
        .allSatisfy(
            event ->
                assertThat(event.getFormattedMessage())
                    .doesNotContain(wrong)
                    .doesNotContain(password));
  }

  @Test
  void plainHttpToARegistryOffLoopbackIsRefusedUnlessListedInsecure(@TempDir Path work)
      throws Exception {
    String host = nonLoopbackAddress();
    Path jar = TestJars.write(work.resolve("app.jar"), 9, 1024);
    try (LocalRegistry remote = LocalRegistry.startOn(host, work.resolve("remote"), 15400)) {
      ImageSpec spec =
          ImageSpec.of(
              "scratch",
              new ImageContent.Jar(jar),
              List.of(),
              remote.address() + "/shop/remote",
              List.of("1.0.0"));

      assertThatThrownBy(() -> new ImageBuilder(work.resolve("cache")).build(spec))
          .isInstanceOfSatisfying(
              ImageBuildException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.INSECURE_REFUSED))
          .hasMessageStartingWith(
              "the registry " + remote.address() + " does not answer over HTTPS")
          .hasMessageContaining("add " + remote.address() + " to insecureRegistries");
      assertThat(new RegistryApi(remote.url()).manifest("shop/remote", "1.0.0").status())
          .isEqualTo(404);

      BuiltImage built =
          new ImageBuilder(work.resolve("cache"))
              .build(spec.withInsecureRegistries(Set.of(remote.address())));
      assertThat(new RegistryApi(remote.url()).manifest("shop/remote", "1.0.0").bodyDigest())
          .isEqualTo(built.digest());
    }
  }

  @Test
  void aLoopbackTargetDoesNotLetAPlainHttpBaseOffLoopbackIn(@TempDir Path work) throws Exception {
    String host = nonLoopbackAddress();
    Path jar = TestJars.write(work.resolve("app.jar"), 10, 1024);
    try (LocalRegistry remote = LocalRegistry.startOn(host, work.resolve("remote"), 15450)) {
      String base = pushBaseTo(remote, work, "base/remote", "1", "remote base");
      ImageSpec spec =
          ImageSpec.of(
              base,
              new ImageContent.Jar(jar),
              List.of(),
              registry.address() + "/shop/mixed",
              List.of("1.0.0"));

      assertThatThrownBy(() -> new ImageBuilder(work.resolve("cache")).build(spec))
          .isInstanceOfSatisfying(
              ImageBuildException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.INSECURE_REFUSED))
          .hasMessageStartingWith("the registry " + remote.address());
      assertThat(api.manifest("shop/mixed", "1.0.0").status()).isEqualTo(404);
    }
  }

  // --- helpers ---

  /** Pushes a one-layer base image to the test's registry with Jib itself (no Docker Hub here). */
  private String pushBase(Path work, String repository, String tag, String content)
      throws Exception {
    return pushBaseTo(registry, work, repository, tag, content);
  }

  private static String pushBaseTo(
      LocalRegistry target, Path work, String repository, String tag, String content)
      throws Exception {
    Path file = work.resolve("base-" + repository.replace('/', '-') + ".txt");
    Files.writeString(file, content);
    String reference = target.address() + "/" + repository + ":" + tag;
    Jib.fromScratch()
        .addFileEntriesLayer(
            FileEntriesLayer.builder()
                .addEntry(file, AbsoluteUnixPath.get("/etc/base.txt"))
                .build())
        .containerize(
            Containerizer.to(RegistryImage.named(reference))
                .setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(work.resolve("base-cache"))
                .setApplicationLayersCache(work.resolve("base-cache")));
    return reference;
  }

  /** An IPv4 address of this machine that is not loopback: a registry "elsewhere" for the test. */
  private static String nonLoopbackAddress() throws Exception {
    Optional<String> address =
        NetworkInterface.networkInterfaces()
            .filter(n -> isUp(n))
            .flatMap(NetworkInterface::inetAddresses)
            .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
            .map(InetAddress::getHostAddress)
            .findFirst();
    // The one skip here: a machine with no network interface but loopback cannot show it.
    Assumptions.assumeTrue(address.isPresent(), "this machine has no non-loopback IPv4 address");
    return address.get();
  }

  private static boolean isUp(NetworkInterface network) {
    try {
      return network.isUp() && !network.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger ours = context.getLogger("dev.tagflow");
    ours.setLevel(Level.DEBUG);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    root.addAppender(appender);
    return appender;
  }

  private static void stopCapturing(ListAppender<ILoggingEvent> appender) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    context.getLogger("dev.tagflow").setLevel(null);
    appender.stop();
  }
}
