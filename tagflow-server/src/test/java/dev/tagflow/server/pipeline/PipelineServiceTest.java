package dev.tagflow.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.server.TestServer;
import dev.tagflow.source.MirrorCatchUp;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RepoCache;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tags pushed with the real {@code git push --tags} to Tagflow's own Git server run their workflow;
 * real git, real step processes, real SQLite store.
 */
class PipelineServiceTest {

  private static final String TAG_REF = "refs/tags/v1.2.3";

  @TempDir Path temp;

  private Path data;
  private Path markers;
  private Store store;
  private RepoCache cache;
  private PipelineService pipeline;
  private TestServer server;
  private final List<RefChanged> handled = new CopyOnWriteArrayList<>();
  private final AtomicReference<java.util.function.Consumer<RefChanged>> listener =
      new AtomicReference<>();
  private GitWorkTree work;
  private String url;

  @BeforeEach
  void start() throws Exception {
    data = Files.createDirectories(temp.resolve("data"));
    markers = Files.createDirectories(temp.resolve("markers"));
    store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)));
    server = TestServer.start(data, change -> listener.get().accept(change));
    cache = new RepoCache(data.resolve("repos"), server.remotes, server.meters, Clock.systemUTC());
    // One run at a time: runs start in the order their events came, so once a later run ended,
    // an earlier event that had started a run would show it in the store.
    pipeline =
        new PipelineService(
            data,
            new PipelineService.Parts(
                cache::mirrorPath,
                store.runs(),
                store.builtImages(),
                RunSecrets.NONE,
                RefLookup.NONE,
                Optional.empty()),
            1,
            2,
            Clock.systemUTC());
    pipeline.start();
    listener.set(
        new MirrorCatchUp(
            cache,
            change -> {
              pipeline.onRefChanged(change);
              handled.add(change);
            }));
    HttpResponse<String> created =
        server.post(
            "/api/repos", "{\"name\":\"app\"}", "Authorization", "Bearer " + TestServer.TOKEN);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    url =
        (server.url() + "/git/app.git")
            .replace("http://", "http://tagflow:" + TestServer.TOKEN + "@");
    work =
        GitWorkTree.init(temp.resolve("work"))
            .write(
                ".github/workflows/release.yml",
                """
                on:
                  push:
                    tags: ['v*']
                jobs:
                  release:
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo "$GITHUB_REF_NAME $GITHUB_SHA" > "%s/$GITHUB_REF_NAME"
                """
                    .formatted(markers))
            .commit("release workflow");
  }

  @AfterEach
  void stop() {
    pipeline.close(Duration.ofSeconds(10));
    server.close();
    cache.close();
    store.close();
  }

  @Test
  void aPushedTagRunsItsWorkflowAndABranchCommitDoesNot() throws Exception {
    work.git("push", "-q", url, "main");
    work.git("tag", "-a", "v1.2.3", "-m", "release 1.2.3");
    work.git("push", "-q", "--tags", url);

    RunRecord run = awaitEnded(TAG_REF, "v1.2.3");
    assertThat(run.status()).isEqualTo(RunRecord.RunStatus.SUCCESS);
    assertThat(run.commit()).isEqualTo(work.head());
    assertThat(Files.readString(markers.resolve("v1.2.3")).strip())
        .isEqualTo("v1.2.3 " + work.head());
    assertThat(handled).extracting(RefChanged::ref).contains("refs/heads/main");
    assertThat(store.runs().latest(50)).extracting(RunRecord::ref).containsExactly(TAG_REF);
  }

  @Test
  void theSameTagPushedAgainOrRedeliveredDoesNotRunTwice() throws Exception {
    work.git("tag", "v1.2.3");
    work.git("push", "-q", "--tags", url);
    awaitEnded(TAG_REF, "v1.2.3");
    RefChanged event =
        handled.stream().filter(c -> c.ref().equals(TAG_REF)).findFirst().orElseThrow();

    work.git("push", "-q", "--tags", url);
    listener.get().accept(event);
    pipeline.onRefChanged(event);
    // A later tag's run ends after anything the re-delivered event could have started.
    work.git("tag", "v1.2.4");
    work.git("push", "-q", "--tags", url);
    awaitEnded("refs/tags/v1.2.4", "v1.2.4");

    assertThat(store.runs().forRef("git/app", ".github/workflows/release.yml", TAG_REF)).hasSize(1);
  }

  @Test
  void aMovedTagIsRefusedWithTheReasonAndRunsWhenForced() throws Exception {
    work.git("tag", "v1.2.3");
    work.git("push", "-q", "--tags", url);
    RunRecord first = awaitEnded(TAG_REF, "v1.2.3");

    work.write("README.md", "moved\n").commit("after the release");
    work.git("tag", "-f", "v1.2.3");
    work.git("push", "-q", "--force", "--tags", url);
    await().atMost(Duration.ofSeconds(30)).until(() -> store.runs().latest(50).size() == 2);
    RunRecord refused = store.runs().latest(50).getFirst();

    assertThat(refused.status()).isEqualTo(RunRecord.RunStatus.FAILURE);
    assertThat(PipelineService.isRefusal(refused)).isTrue();
    assertThat(refused.commit()).isEqualTo(work.head());
    assertThat(refused.result().orElseThrow())
        .contains("moved from " + first.commit())
        .contains("--force");
    assertThat(Files.readString(Path.of(refused.log()))).contains("refused: tag v1.2.3 moved");
    assertThat(Files.readString(markers.resolve("v1.2.3"))).contains(first.commit());

    String forced = pipeline.rerun(refused, true);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> store.runs().get(forced).orElseThrow().finished().isPresent());
    assertThat(store.runs().get(forced).orElseThrow().status())
        .isEqualTo(RunRecord.RunStatus.SUCCESS);
    assertThat(Files.readString(markers.resolve("v1.2.3")).strip())
        .isEqualTo("v1.2.3 " + work.head());
  }

  @Test
  void aRefusedWorkflowThePushWouldStartIsRecordedWithItsProblems() throws Exception {
    work.write(
            ".github/workflows/image.yml",
            """
            on:
              push:
                tags: ['v*']
            jobs:
              image:
                runs-on: ubuntu-latest
                steps:
                  - uses: docker/build-push-action@v6
            """)
        .commit("docker action");
    work.git("tag", "v1.2.3");
    work.git("push", "-q", "--tags", url);
    awaitEnded(TAG_REF, "v1.2.3");

    Optional<RunRecord> refused =
        store.runs().latest(50).stream()
            .filter(r -> r.workflow().equals(".github/workflows/image.yml"))
            .findFirst();
    assertThat(refused).isPresent();
    assertThat(refused.get().status()).isEqualTo(RunRecord.RunStatus.FAILURE);
    assertThat(refused.get().result().orElseThrow())
        .contains(".github/workflows/image.yml:8:15:")
        .contains("docker/build-push-action");
  }

  @Test
  void aDeletedTagStartsNothing() throws Exception {
    work.git("tag", "v1.2.3");
    work.git("push", "-q", "--tags", url);
    awaitEnded(TAG_REF, "v1.2.3");
    work.git("push", "-q", url, ":refs/tags/v1.2.3");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> handled.stream().anyMatch(c -> c.change() == RefChanged.Change.DELETED));
    work.git("tag", "v1.2.4");
    work.git("push", "-q", "--tags", url);
    awaitEnded("refs/tags/v1.2.4", "v1.2.4");

    assertThat(store.runs().latest(50)).hasSize(2);
  }

  private RunRecord awaitEnded(String ref, String marker) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                store.runs().latest(50).stream()
                    .anyMatch(
                        r ->
                            r.ref().equals(ref)
                                && r.status().isEnded()
                                && !PipelineService.isRefusal(r)));
    return store.runs().latest(50).stream()
        .filter(r -> r.ref().equals(ref) && !PipelineService.isRefusal(r))
        .findFirst()
        .orElseThrow();
  }
}
