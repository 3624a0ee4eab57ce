package dev.tagflow.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.git.GitWorkTree;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorCatchUpTest {

  @TempDir Path root;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> heard = new ArrayList<>();
  private GitWorkTree work;
  private String origin;
  private RepoCache cache;

  @BeforeEach
  void setUp() {
    work = GitWorkTree.init(root.resolve("work")).withOrigin(root.resolve("origin.git"));
    origin = root.resolve("origin.git").toString();
    work.commitFile("env/values.yaml", "a: 1\n", "first");
    work.git("push", "-q", "origin", "main");
    cache =
        new RepoCache(
            root.resolve("data/repos"), RemoteAccess.anonymous(meters), meters, Clock.systemUTC());
    cache.fetch(origin);
  }

  @AfterEach
  void close() {
    cache.close();
  }

  private RefChanged moved(String from, String to) {
    return new RefChanged(
        origin,
        "refs/heads/main",
        Optional.of(from),
        Optional.of(to),
        RefChanged.Origin.GITHUB_WEBHOOK,
        Instant.EPOCH);
  }

  private long fetches() {
    return meters.find("tagflow.source.fetch").timers().stream().mapToLong(t -> t.count()).sum();
  }

  @Test
  void aChangeTheMirrorLacksIsFetchedBeforeTheListenerHearsIt() {
    String before = cache.status(origin).refs().get("refs/heads/main");
    String pushed = work.commitFile("env/values.yaml", "a: 2\n", "second");
    work.git("push", "-q", "origin", "main");
    MirrorCatchUp catchUp =
        new MirrorCatchUp(
            cache,
            change ->
                heard.add(
                    change.newCommit().orElseThrow()
                        + " mirrored "
                        + cache.status(origin).refs().get("refs/heads/main")));

    catchUp.accept(moved(before, pushed));

    assertThat(heard).containsExactly(pushed + " mirrored " + pushed);
  }

  @Test
  void aChangeTheMirrorHasCostsNoFetch() {
    String current = cache.status(origin).refs().get("refs/heads/main");
    long fetchesBefore = fetches();

    new MirrorCatchUp(cache, change -> heard.add(change.ref()))
        .accept(moved("0".repeat(40), current));

    assertThat(heard).containsExactly("refs/heads/main");
    assertThat(fetches()).isEqualTo(fetchesBefore);
  }
}
