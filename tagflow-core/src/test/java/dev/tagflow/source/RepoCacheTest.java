package dev.tagflow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.local.git.GitWorkTree;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoCacheTest {

  @TempDir Path root;
  SimpleMeterRegistry meters = new SimpleMeterRegistry();
  GitWorkTree work;
  String origin;
  RepoCache cache;

  @BeforeEach
  void setUp() {
    work = GitWorkTree.init(root.resolve("work")).withOrigin(root.resolve("origin.git"));
    origin = root.resolve("origin.git").toString();
    work.commitFile("env/production/values.yaml", "image: {tag: 1.0.0}\n", "first");
    work.git("tag", "v1.0.0");
    work.git("push", "-q", "origin", "main", "--tags");
    cache =
        new RepoCache(
            root.resolve("data/repos"), RemoteAccess.anonymous(meters), meters, Clock.systemUTC());
  }

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void fetchesOnFirstUseThenResolvesAndReadsWithoutACheckout() {
    Revision revision = cache.resolve(origin, "^1");

    assertThat(revision.tag()).contains("v1.0.0");
    assertThat(cache.tree(origin, revision, "env/production").readString("values.yaml"))
        .isEqualTo("image: {tag: 1.0.0}\n");
    assertThat(cache.status(origin).refs()).containsKeys("refs/heads/main", "refs/tags/v1.0.0");
    assertThat(cache.status(origin).mirror().getFileName().toString())
        .matches("[a-z0-9-]+-origin-[0-9a-f]{12}\\.git");
    assertThat(
            meters
                .timer("tagflow.source.fetch", "repository", origin, "outcome", "success")
                .count())
        .isEqualTo(1);
  }

  @Test
  void fetchesAgainWhenARevisionIsNotInTheMirrorYet() {
    cache.resolve(origin, "main");
    work.commitFile("env/production/values.yaml", "image: {tag: 1.1.0}\n", "second");
    work.git("tag", "v1.1.0");
    work.git("push", "-q", "origin", "main", "--tags");

    assertThat(cache.resolve(origin, "v1.1.0").commit())
        .isEqualTo(work.git("rev-parse", "HEAD").strip());
  }

  @Test
  void fetchRemovesDeletedTagsAndFollowsMovedBranches() {
    cache.fetch(origin);
    work.git("push", "-q", "origin", ":refs/tags/v1.0.0");
    String second = work.commitFile("README.md", "more\n", "second");
    work.git("push", "-q", "origin", "main");

    RepoStatus status = cache.fetch(origin);

    assertThat(status.refs()).doesNotContainKey("refs/tags/v1.0.0");
    assertThat(status.refs()).containsEntry("refs/heads/main", second);
    assertThat(cache.resolve(origin, "HEAD").commit()).isEqualTo(second);
  }

  @Test
  void anUnreachableRemoteKeepsTheLastFetchedStateAndReportsTheError() throws Exception {
    RepoStatus good = cache.fetch(origin);
    FileUtils.delete(root.resolve("origin.git").toFile(), FileUtils.RECURSIVE);

    assertThatThrownBy(() -> cache.fetch(origin))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("cannot reach repository " + origin)
        .hasMessageContaining("keeping what was fetched at");
    RepoStatus status = cache.status(origin);
    assertThat(status.failing()).isTrue();
    assertThat(status.lastError().orElseThrow()).contains("cannot reach repository");
    assertThat(status.refs()).isEqualTo(good.refs());
    assertThat(status.lastFetched()).isEqualTo(good.lastFetched());
    Revision main = cache.resolve(origin, "main");
    assertThat(cache.tree(origin, main, "env").list()).hasSize(1);
    assertThat(meters.counter("tagflow.source.fetch.failures", "repository", origin).count())
        .isEqualTo(1);
  }

  @Test
  void aRemoteNobodyListensOnFailsWithoutShowingTheCredentials() {
    String url = "http://deploy:s3cret@127.0.0.1:1/shop/web.git";

    assertThatThrownBy(() -> cache.fetch(url))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("cannot reach repository http://127.0.0.1:1/shop/web.git")
        .hasMessageNotContaining("s3cret")
        .hasMessageNotContaining("deploy");
    assertThat(cache.status(url).lastError().orElseThrow()).doesNotContain("s3cret");
    assertThat(cache.status(url).repository()).isEqualTo("http://127.0.0.1:1/shop/web.git");
    assertThat(cache.mirrorPath(url).toString()).doesNotContain("s3cret").contains("shop-web-");
    assertThat(meters.getMeters())
        .flatMap(meter -> meter.getId().getTags())
        .allSatisfy(tag -> assertThat(tag.getValue()).doesNotContain("s3cret"));
  }

  @Test
  void theMirrorOfAUrlWithCredentialsHoldsNoneOfThemInItsFiles() throws Exception {
    String url = "http://ghp_t0ken@127.0.0.1:1/shop/web.git";
    assertThatThrownBy(() -> cache.fetch(url)).isInstanceOf(TagflowException.class);

    Path mirror = cache.mirrorPath(url);
    assertThat(mirror.resolve("config"))
        .content()
        .contains("url = http://127.0.0.1:1/shop/web.git")
        .doesNotContain("ghp_t0ken");
    try (var files = Files.walk(mirror)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("t0ken");
      }
    }
    assertThat(mirror.getFileName().toString()).doesNotContain("t0ken");
  }

  @Test
  void urlsThatDifferOnlyInCredentialsShareOneMirror() {
    assertThat(cache.mirrorPath("https://a:one@host/shop/web.git"))
        .isEqualTo(cache.mirrorPath("https://b:two@host/shop/web.git"))
        .isEqualTo(cache.mirrorPath("https://host/shop/web.git"));
  }

  @Test
  void readersSeeWholeCommitsWhileAFetchMovesTheRefs() throws Exception {
    cache.fetch(origin);
    AtomicBoolean done = new AtomicBoolean();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Runnable reader =
        () -> {
          while (!done.get()) {
            try {
              Revision main = cache.resolve(origin, "main");
              TreeReader tree = cache.tree(origin, main, "");
              // Every commit writes the same number to both files: a torn read would differ.
              String a = tree.exists("a.txt") ? tree.readString("a.txt") : "none";
              String b = tree.exists("b.txt") ? tree.readString("b.txt") : "none";
              assertThat(a).isEqualTo(b);
              seen.add(a);
            } catch (Throwable t) {
              failures.add(t);
              return;
            }
          }
        };
    Thread first = Thread.ofPlatform().start(reader);
    Thread second = Thread.ofPlatform().start(reader);
    for (int i = 0; i < 15; i++) {
      work.write("a.txt", "round " + i + "\n");
      work.write("b.txt", "round " + i + "\n");
      work.git("add", "-A");
      work.git("commit", "-q", "-m", "round " + i);
      work.git("push", "-q", "origin", "main");
      cache.fetch(origin);
    }
    done.set(true);
    first.join();
    second.join();

    assertThat(failures).isEmpty();
    assertThat(seen.size()).isGreaterThan(2);
  }
}
