package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.PlainJson;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.local.registry.LocalRegistry;
import dev.tagflow.server.git.OwnGitCredentials;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The first half of the release flow in {@code tagflow server} as a process: a tag pushed with the
 * real {@code git push --tags} to its Git server runs the application's release workflow (test,
 * image, promote), the image lands in a real registry, and the promote step writes the environment
 * repository hosted on the same server with the server's own access.
 */
class ReleaseFlowIT {

  private static final String TOKEN = "tf_release_flow_it_token_0123456789";

  private static final String POLICY =
      """
      apiVersion: tagflow.dev/v1alpha1
      kind: EnvironmentPolicy
      environments:
        - name: dev
          accept:
            - tags: "v*"
          promotion: auto
      """;

  private static final String VALUES =
      """
      # Values of web in dev.
      replicaCount: 1   # kept as it is

      image:
        repository: registry.local/shop/web
        tag: "1.2.2"   # written by Tagflow
      """;

  // Kept when the test fails: the server's log is in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private ServerProcess server;
  private Path envBare;
  private LocalRegistry registry;

  @BeforeEach
  void setUp() throws Exception {
    server = new ServerProcess(temp, TOKEN);
    server.host("app");
    envBare = server.host("env");
    // Plain HTTP on loopback: the image step allows it without a login.
    registry = LocalRegistry.start(temp.resolve("registry"), 15600, true);
  }

  @AfterEach
  void stop() {
    server.close();
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aPushedTagIsTestedBuiltPushedAndPromotedToDevOnTheServersOwnEnvironmentRepository()
      throws Exception {
    server.start();
    // The promote step is given the repository's URL without credentials: the server's own.
    String envUrl = server.repositoryUrl("env");

    GitWorkTree env =
        GitWorkTree.init(temp.resolve("env-work"))
            .write("environments/policy.yaml", POLICY)
            .write("environments/dev/values.yaml", VALUES)
            .commit("environments");
    env.git("push", "-q", server.pushUrl("env"), "main");
    String envBefore = bare("rev-parse", "refs/heads/main").strip();
    String valuesBefore = bare("show", envBefore + ":environments/dev/values.yaml");

    GitWorkTree app =
        GitWorkTree.init(temp.resolve("app-work"))
            .write("src/Main.txt", "the application\n")
            .write(".github/workflows/release.yml", workflow(envUrl))
            .commit("release workflow");
    app.git("push", "-q", server.pushUrl("app"), "main");
    app.git("tag", "-a", "v1.2.3", "-m", "release 1.2.3");
    app.git("push", "-q", "--tags", server.pushUrl("app"));
    String head = app.head();

    RunRecord run = server.awaitRun("refs/tags/v1.2.3");
    String log = Files.readString(Path.of(run.log()));
    assertThat(run.repository()).isEqualTo("git/app");
    assertThat(run.ref()).isEqualTo("refs/tags/v1.2.3");
    assertThat(run.commit()).isEqualTo(head);
    assertThat(run.status())
        .as(log + run.result().orElse(""))
        .isEqualTo(RunRecord.RunStatus.SUCCESS);

    // The image step's digest is what the registry serves for the version tag.
    JsonNode result = PlainJson.MAPPER.readTree(run.result().orElseThrow());
    String digest = stepOutputs(result, "image").path("digest").asText();
    assertThat(digest).matches("sha256:[0-9a-f]{64}");
    HttpResponse<byte[]> manifest = manifest("/v2/shop/web/manifests/1.2.3");
    assertThat(manifest.statusCode()).isEqualTo(200);
    assertThat("sha256:" + sha256(manifest.body())).isEqualTo(digest);

    // main of the environment repository has one new commit, changing dev's tag and nothing else.
    String envAfter = bare("rev-parse", "refs/heads/main").strip();
    assertThat(envAfter).as(log).isNotEqualTo(envBefore);
    assertThat(bare("rev-parse", envAfter + "^").strip()).isEqualTo(envBefore);
    assertThat(bare("diff", "--name-only", envBefore, envAfter).strip())
        .isEqualTo("environments/dev/values.yaml");
    assertThat(bare("show", envAfter + ":environments/dev/values.yaml"))
        .isEqualTo(valuesBefore.replace("\"1.2.2\"", "\"1.2.3\""));
    assertThat(stepOutputs(result, "promote").path("dev-commit").asText()).isEqualTo(envAfter);

    // Neither the person's token nor the server's own is shown anywhere.
    String ownToken = Files.readString(server.data().resolve(OwnGitCredentials.FILE)).strip();
    for (Path file : List.of(server.out(), server.err(), Path.of(run.log()))) {
      assertThat(Files.readString(file))
          .as(file.toString())
          .doesNotContain(TOKEN)
          .doesNotContain(ownToken);
    }

    // The pushed image is recorded as a built image: tag -> commit -> digest.
    ServerProcess.Result show = server.tagflow("runs", "show", run.runId());
    assertThat(show.exit()).as(show.err()).isZero();
    assertThat(show.out()).contains("image:").contains("@" + digest).contains("1.2.3");
    ServerProcess.Result releases = server.tagflow("releases", "list", "-o", "json");
    assertThat(releases.exit()).as(releases.err()).isZero();
    JsonNode listed = PlainJson.MAPPER.readTree(releases.out());
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("digest").asText()).isEqualTo(digest);
    assertThat(listed.get(0).path("ref").asText()).isEqualTo("refs/tags/v1.2.3");
    assertThat(listed.get(0).path("commit").asText()).isEqualTo(head);
    assertThat(listed.get(0).path("repository").asText()).isEqualTo("git/app");
    // No application ran it: there is no cluster here.
    assertThat(listed.get(0).path("runningIn")).isEmpty();

    // A rerun from the command line runs in the server, with its environment-repository writer:
    // the promote step promotes (the value is there already) instead of failing unconfigured.
    ServerProcess.Result rerun = server.tagflow("runs", "rerun", run.runId());
    assertThat(rerun.exit()).as(rerun.out() + rerun.err()).isZero();
    assertThat(rerun.out()).contains("queued in the server").contains("success");
    try (Store store =
        JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(server.data())))) {
      RunRecord again = store.runs().latest(1).getFirst();
      assertThat(again.runId()).isNotEqualTo(run.runId());
      assertThat(again.status()).isEqualTo(RunRecord.RunStatus.SUCCESS);
      assertThat(Files.readString(Path.of(again.log()))).doesNotContain("not configured");
      // The jar is built again (new file times in it), so the image is a new one of the same tag.
      assertThat(store.builtImages().ofRun(again.runId()))
          .singleElement()
          .satisfies(
              image -> {
                assertThat(image.digest()).matches("sha256:[0-9a-f]{64}");
                assertThat(image.ref()).isEqualTo("refs/tags/v1.2.3");
                assertThat(image.tags()).contains("1.2.3");
              });
    }
  }

  /** Test, then image, then promote to dev: three jobs, as a release workflow has them. */
  private String workflow(String envUrl) {
    return """
        on:
          push:
            tags: ['v*']
        env: {JDK: '%s'}
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - name: test
                run: |
                  mkdir -p build/classes && cp src/Main.txt build/classes/
                  "$JDK/bin/jar" --create --file build/web.jar -C build/classes .
                  "$JDK/bin/jar" --list --file build/web.jar | grep -qx Main.txt
          image:
            needs: test
            runs-on: ubuntu-latest
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
          promote:
            needs: image
            runs-on: ubuntu-latest
            steps:
              - id: promote
                uses: tagflow/promote@v1
                with:
                  repository: %s
                  environments: dev
                  application: web
                  image: ${{ needs.image.outputs.image }}
                  digest: ${{ needs.image.outputs.digest }}
        """
        .formatted(System.getProperty("java.home"), registry.address(), envUrl);
  }

  /** The outputs of the one step of job {@code job} that has a {@code digest} or commit output. */
  private static JsonNode stepOutputs(JsonNode result, String job) {
    for (JsonNode j : result.path("jobs")) {
      if (j.path("key").asText().equals(job)) {
        for (JsonNode step : j.path("steps")) {
          JsonNode outputs = step.path("outputs");
          if (outputs.has("digest") || outputs.has("dev-commit")) {
            return outputs;
          }
        }
      }
    }
    throw new AssertionError("no step outputs of job " + job + " in " + result);
  }

  private HttpResponse<byte[]> manifest(String path) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(URI.create(registry.url() + path))
              .header(
                  "Accept",
                  "application/vnd.oci.image.manifest.v1+json,"
                      + "application/vnd.docker.distribution.manifest.v2+json")
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  private String bare(String... args) {
    return GitWorkTree.open(envBare).git(args);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
