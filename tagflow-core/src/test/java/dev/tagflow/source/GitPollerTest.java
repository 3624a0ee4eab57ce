package dev.tagflow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.local.git.GitWorkTree;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitPollerTest {

  @TempDir Path root;
  SimpleMeterRegistry meters = new SimpleMeterRegistry();
  GitWorkTree work;
  String origin;
  RepoCache cache;
  GitPoller poller;

  @BeforeEach
  void setUp() {
    work = GitWorkTree.init(root.resolve("work")).withOrigin(root.resolve("origin.git"));
    origin = root.resolve("origin.git").toString();
    work.commitFile("README.md", "hello\n", "first");
    work.git("push", "-q", "origin", "main");
    RemoteAccess remotes = RemoteAccess.anonymous(meters);
    cache = new RepoCache(root.resolve("repos"), remotes, meters, Clock.systemUTC());
    RefTracker tracker = new RefTracker(remotes, meters, Clock.systemUTC());
    poller =
        new GitPoller(
            tracker, cache, new GitPoller.Options(Duration.ofMillis(200), 0.2), new Random(1));
  }

  @AfterEach
  void close() {
    poller.close();
    cache.close();
  }

  @Test
  void aPollWithNothingChangedDoesOneLsRemoteAndNoFetch() {
    poller.poll(origin); // baseline, and the first fill of the mirror
    double fetches = fetches();
    double lsRemotes = lsRemotes();

    assertThat(poller.poll(origin)).isEmpty();
    assertThat(poller.poll(origin)).isEmpty();

    assertThat(fetches()).isEqualTo(fetches);
    assertThat(lsRemotes()).isEqualTo(lsRemotes + 2);
  }

  @Test
  void aPollThatSeesATagFetchesSoTheTagCanBeRead() {
    poller.poll(origin);
    double fetches = fetches();
    work.git("tag", "v1.0.0");
    work.git("push", "-q", "origin", "--tags");

    List<RefChanged> changes = poller.poll(origin);

    assertThat(changes).extracting(RefChanged::ref).containsExactly("refs/tags/v1.0.0");
    assertThat(fetches()).isEqualTo(fetches + 1);
    assertThat(cache.status(origin).refs()).containsKey("refs/tags/v1.0.0");
  }

  @Test
  void pollsOnScheduleAndDeliversChangesToTheListener() {
    List<RefChanged> heard = new CopyOnWriteArrayList<>();
    poller.watch(origin);
    poller.start(heard::add);
    await().atMost(Duration.ofSeconds(10)).until(() -> lsRemotes() >= 1);

    work.git("tag", "v2.0.0");
    work.git("push", "-q", "origin", "--tags");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(heard).extracting(RefChanged::ref).contains("refs/tags/v2.0.0"));
    assertThat(heard.getFirst().origin()).isEqualTo(RefChanged.Origin.POLL);
  }

  @Test
  void watchExactlyStartsPollingNewRepositoriesAndStopsPollingRemovedOnes() throws Exception {
    Path otherRoot = root.resolve("other");
    GitWorkTree other =
        GitWorkTree.init(otherRoot.resolve("work")).withOrigin(otherRoot.resolve("origin.git"));
    other.commitFile("README.md", "other\n", "first");
    other.git("push", "-q", "origin", "main");
    String second = root.resolve("other/origin.git").toString();
    poller.watch(origin);
    poller.start(change -> {});
    await().atMost(Duration.ofSeconds(10)).until(() -> lsRemotes() >= 1);

    poller.watchExactly(List.of(second));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> meters.counter("tagflow.source.lsremote", "repository", second).count() >= 2);
    double polledBefore = lsRemotes();
    double secondBefore = meters.counter("tagflow.source.lsremote", "repository", second).count();
    // Three more polls of the repository still watched prove the poller went round since.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                meters.counter("tagflow.source.lsremote", "repository", second).count()
                    >= secondBefore + 3);
    assertThat(lsRemotes()).isLessThanOrEqualTo(polledBefore + 1); // a poll already under way
  }

  @Test
  void watchExactlyWithIntervalsPollsEachRepositoryAtItsOwn() throws Exception {
    Path otherRoot = root.resolve("other");
    GitWorkTree other =
        GitWorkTree.init(otherRoot.resolve("work")).withOrigin(otherRoot.resolve("origin.git"));
    other.commitFile("README.md", "other\n", "first");
    other.git("push", "-q", "origin", "main");
    String second = root.resolve("other/origin.git").toString();
    poller.watch(origin);
    poller.start(change -> {});
    await().atMost(Duration.ofSeconds(10)).until(() -> lsRemotes() >= 1);

    poller.watchExactly(Map.of(origin, Duration.ofHours(1), second, Duration.ofMillis(20)));
    double originBefore = lsRemotes();

    // Twenty polls of the second take at least 400 ms, two of origin's old 200 ms intervals: its
    // new interval is what keeps it from being polled again (one already scheduled may still run).
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> meters.counter("tagflow.source.lsremote", "repository", second).count() >= 20);
    assertThat(lsRemotes()).isLessThanOrEqualTo(originBefore + 1);
  }

  private double fetches() {
    return meters.find("tagflow.source.fetch").timers().stream().mapToLong(t -> t.count()).sum();
  }

  private double lsRemotes() {
    return meters.counter("tagflow.source.lsremote", "repository", origin).count();
  }
}
