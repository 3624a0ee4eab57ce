package dev.tagflow.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.local.registry.LocalRegistry;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.pipeline.workflow.WorkflowLoader;
import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.promote.EnvironmentHealth;
import dev.tagflow.promote.WriterOptions;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in steps {@code tagflow/image} and {@code tagflow/promote} in real runs: real step
 * processes (the JDK's {@code jar} builds the jar), a real registry that asks for a login over
 * HTTPS, and a real bare environment repository written by a real {@link EnvRepoWriter}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseStepsIT {

  private static final String USER = "ci";
  private static final String PASSWORD = "pw-" + System.nanoTime() + "-secret";

  private static final String POLICY =
      """
      # Where releases of web go.
      apiVersion: tagflow.dev/v1alpha1
      kind: EnvironmentPolicy
      environments:
        - name: dev
          accept:
            - tags: "v*"
          promotion: auto
        - name: production
          accept:
            - {tags: "v*", semver: true, prerelease: false}
          promotion: auto
      """;

  private static final String VALUES =
      """
      # Values of web in %s.
      replicaCount: 1   # kept as it is

      image:
        repository: registry.local/shop/web
        tag: "1.2.2"   # written by Tagflow
      """;

  private LocalRegistry registry;
  private HttpClient http;

  @TempDir Path dir;
  private Path envRepo;
  private Path app;
  private Store store;
  private RemoteAccess remotes;
  private EnvRepoWriter writer;

  @BeforeAll
  void startRegistry(@TempDir Path state) {
    registry =
        LocalRegistry.startWithLogin(
            state.resolve("registry"), 15400, new LocalRegistry.Login(USER, PASSWORD));
    http =
        HttpClient.newBuilder()
            .sslContext(LocalRegistry.trusting(registry.caCertificate().orElseThrow()))
            .build();
  }

  @AfterAll
  void stopRegistry() {
    if (http != null) {
      http.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @BeforeEach
  void repositories() throws IOException {
    envRepo = dir.resolve("env.git");
    GitWorkTree.open(dir).git("init", "-q", "--bare", "-b", "main", envRepo.toString());
    Path work = dir.resolve("env-work");
    GitWorkTree.open(dir).git("clone", "-q", envRepo.toString(), work.toString());
    GitWorkTree env = GitWorkTree.open(work);
    env.git("checkout", "-q", "-b", "main");
    write(work, "environments/policy.yaml", POLICY);
    write(work, "environments/dev/values.yaml", VALUES.formatted("dev"));
    write(work, "environments/production/values.yaml", VALUES.formatted("production"));
    env.git("add", "-A");
    env.git("commit", "-q", "-m", "environments");
    env.git("push", "-q", "origin", "main");

    app = dir.resolve("app");
    GitWorkTree.open(dir).git("init", "-q", "-b", "main", app.toString());
    write(app, "src/Main.txt", "the application\n");
    GitWorkTree.open(app).git("add", "-A");
    GitWorkTree.open(app).git("commit", "-q", "-m", "app");

    Path data = Files.createDirectories(dir.resolve("data"));
    store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)));
    remotes = RemoteAccess.anonymous(new SimpleMeterRegistry());
    writer =
        new EnvRepoWriter(
            dir.resolve("writer"),
            remotes,
            store.promotions(),
            EnvironmentHealth.of(store.history()),
            WriterOptions.defaults());
  }

  @AfterEach
  void close() {
    writer.close();
    store.close();
    remotes.close();
  }

  /** Test, then image, then promote to dev: three jobs, as a release workflow has them. */
  private String workflow(String testCommand, String environments) {
    return """
        on: {push: {tags: ['v*']}}
        env: {JDK: '%s'}
        jobs:
          test:
            steps:
              - uses: actions/checkout@v4
              - name: test
                run: |
                  echo "testing with ${{ secrets.REGISTRY_PASSWORD }}"
                  %s
          image:
            needs: test
            outputs:
              digest: ${{ steps.image.outputs.digest }}
              image: ${{ steps.image.outputs.image }}
            steps:
              - uses: actions/checkout@v4
              - name: package
                run: |
                  mkdir -p build/classes && cp src/Main.txt build/classes/
                  "$JDK/bin/jar" --create --file build/web.jar -C build/classes .
              - id: image
                uses: tagflow/image@v1
                with:
                  jar: build/web.jar
                  image: %s/shop/web
                  username: ${{ secrets.REGISTRY_USER }}
                  password: ${{ secrets.REGISTRY_PASSWORD }}
          promote:
            needs: image
            steps:
              - id: promote
                uses: tagflow/promote@v1
                with:
                  repository: %s
                  environments: %s
                  application: web
                  image: ${{ needs.image.outputs.image }}
                  digest: ${{ needs.image.outputs.digest }}
        """
        .formatted(
            System.getProperty("java.home"),
            testCommand,
            registry.address(),
            envRepo,
            environments);
  }

  private RunResult run(String id, String tag, String yaml) throws Exception {
    return run(id, tag, yaml, PASSWORD);
  }

  private RunResult run(String id, String tag, String yaml, String password) throws Exception {
    GitWorkTree.open(app).git("tag", "-f", tag);
    String commit = GitWorkTree.open(app).git("rev-parse", "HEAD").strip();
    PipelineRunner runner =
        new PipelineRunner(
            dir.resolve("data"),
            2,
            Optional.empty(),
            java.time.Clock.systemUTC(),
            Optional.of(writer));
    return runner.run(
        new RunRequest(
            id,
            new WorkflowLoader().load(".github/workflows/release.yml", yaml),
            RunEvent.push(RefPush.tag(tag)),
            "shop/web",
            app.toString(),
            commit,
            Map.of("REGISTRY_USER", USER, "REGISTRY_PASSWORD", password),
            Map.of()));
  }

  @Test
  void aTaggedCommitIsTestedBuiltPushedAndPromotedToDev() throws Exception {
    String before = show("main", "environments/dev/values.yaml");
    String productionBefore = show("main", "environments/production/values.yaml");

    RunResult result = run("release", "v1.2.3", workflow("test -s src/Main.txt", "dev"));

    String log = Files.readString(result.log());
    assertThat(result.conclusion()).as(log).isEqualTo(Conclusion.SUCCESS);
    Map<String, String> image = result.single("image").orElseThrow().steps().get(2).outputs();
    String digest = image.get("digest");
    assertThat(digest).matches("sha256:[0-9a-f]{64}");
    assertThat(image.get("image")).isEqualTo(registry.address() + "/shop/web@" + digest);
    String shortCommit = GitWorkTree.open(app).git("rev-parse", "--short=7", "HEAD").strip();
    assertThat(image.get("tags")).isEqualTo("1.2.3," + shortCommit);
    // The manifest the registry serves for the digest and for the version tag is that digest.
    for (String reference : new String[] {digest, "1.2.3", shortCommit}) {
      HttpResponse<byte[]> manifest = get("/v2/shop/web/manifests/" + reference);
      assertThat(manifest.statusCode()).isEqualTo(200);
      assertThat("sha256:" + sha256(manifest.body())).isEqualTo(digest);
    }
    // dev carries the version and differs only there; production is untouched.
    String after = show("main", "environments/dev/values.yaml");
    assertThat(after).isEqualTo(before.replace("\"1.2.2\"", "\"1.2.3\""));
    assertThat(show("main", "environments/production/values.yaml")).isEqualTo(productionBefore);
    Map<String, String> promoted = result.single("promote").orElseThrow().steps().get(0).outputs();
    assertThat(promoted.get("dev-commit")).isEqualTo(head());
    String message = GitWorkTree.open(envRepo).git("log", "-1", "--format=%B", "main");
    assertThat(message).contains("v1.2.3").contains(digest);
    assertThat(log).contains("pushed " + registry.address() + "/shop/web@" + digest);
    // Jib's own messages are in the run's log, in the image step.
    assertThat(log).contains("image#2 [runner] jib: Pushing manifest for 1.2.3");
    assertThat(log).doesNotContain(PASSWORD).contains("testing with ***");
  }

  @Test
  void aFailingTestStopsTheRunBeforeAnyImageOrPromotion() throws Exception {
    String head = head();

    RunResult result = run("failing", "v1.2.4", workflow("exit 3", "dev"));

    assertThat(result.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(result.single("image").orElseThrow().conclusion()).isEqualTo(Conclusion.SKIPPED);
    assertThat(result.single("promote").orElseThrow().conclusion()).isEqualTo(Conclusion.SKIPPED);
    assertThat(get("/v2/shop/web/manifests/1.2.4").statusCode()).isEqualTo(404);
    assertThat(head()).isEqualTo(head);
    assertThat(Files.readString(result.log())).doesNotContain(PASSWORD);
  }

  @Test
  void aWrongRegistryPasswordFailsTheImageStepAsAuthRefusedAndIsNeverShown() throws Exception {
    String head = head();
    String wrong = "wrong-" + System.nanoTime() + "-pw";

    RunResult result = run("wrong-login", "v1.2.5", workflow("true", "dev"), wrong);

    StepResult image = result.single("image").orElseThrow().steps().get(2);
    assertThat(image.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(image.message()).startsWith("tagflow/image failed (auth_refused): ");
    assertThat(result.single("promote").orElseThrow().conclusion()).isEqualTo(Conclusion.SKIPPED);
    assertThat(head()).isEqualTo(head);
    assertThat(Files.readString(result.log())).doesNotContain(wrong).doesNotContain(PASSWORD);
  }

  @Test
  void aPrereleaseIsRefusedForProductionWithTheRuleNamedAndNothingWritten() throws Exception {
    String head = head();
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          promote:
            steps:
              - id: promote
                uses: tagflow/promote@v1
                with:
                  repository: %s
                  environments: dev, production
                  application: web
        """
            .formatted(envRepo);

    RunResult result = run("prerelease", "v1.3.0-rc.1", yaml);

    assertThat(result.conclusion()).isEqualTo(Conclusion.FAILURE);
    StepResult step = result.single("promote").orElseThrow().steps().get(0);
    assertThat(step.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(step.message())
        .contains("production refused by environments/policy.yaml:")
        .contains("nothing written");
    assertThat(head()).isEqualTo(head);
  }

  @Test
  void aPromoteStepWithoutAWriterFailsSayingSo() throws Exception {
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          promote:
            steps:
              - uses: tagflow/promote@v1
                with: {repository: %s, environments: dev}
        """
            .formatted(envRepo);
    GitWorkTree.open(app).git("tag", "-f", "v2.0.0");
    String commit = GitWorkTree.open(app).git("rev-parse", "HEAD").strip();

    RunResult result =
        new PipelineRunner(dir.resolve("data"), 1)
            .run(
                new RunRequest(
                    "unconfigured",
                    new WorkflowLoader().load(".github/workflows/release.yml", yaml),
                    RunEvent.push(RefPush.tag("v2.0.0")),
                    "shop/web",
                    app.toString(),
                    commit,
                    Map.of(),
                    Map.of()));

    assertThat(result.single("promote").orElseThrow().steps().get(0).message())
        .contains("no environment repository writer configured");
  }

  private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    String basic =
        Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    return http.send(
        HttpRequest.newBuilder(URI.create(registry.url() + path))
            .header("Authorization", "Basic " + basic)
            .header(
                "Accept",
                "application/vnd.oci.image.manifest.v1+json,"
                    + "application/vnd.docker.distribution.manifest.v2+json")
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private String show(String revision, String path) {
    return GitWorkTree.open(envRepo).git("show", revision + ":" + path);
  }

  private String head() {
    return GitWorkTree.open(envRepo).git("rev-parse", "refs/heads/main").strip();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static void write(Path root, String path, String content) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
