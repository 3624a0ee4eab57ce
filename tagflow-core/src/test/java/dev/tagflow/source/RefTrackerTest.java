package dev.tagflow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.local.git.GitWorkTree;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefTrackerTest {

  @TempDir Path root;
  SimpleMeterRegistry meters = new SimpleMeterRegistry();
  RefTracker tracker;
  GitWorkTree work;
  String origin;
  List<RefChanged> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    work = GitWorkTree.init(root.resolve("work")).withOrigin(root.resolve("origin.git"));
    origin = root.resolve("origin.git").toString();
    work.commitFile("README.md", "hello\n", "first");
    work.git("push", "-q", "origin", "main");
    tracker = new RefTracker(RemoteAccess.anonymous(meters), meters, Clock.systemUTC());
    tracker.addListener(heard::add);
  }

  @Test
  void firstRefreshIsABaselineWithoutEvents() {
    assertThat(tracker.refresh(origin, RefChanged.Origin.POLL)).isEmpty();
    assertThat(tracker.lastSeen(origin).orElseThrow()).containsKey("refs/heads/main");
    assertThat(heard).isEmpty();
  }

  @Test
  void fiveTagsPushedAtOnceAllProduceEvents() {
    tracker.refresh(origin, RefChanged.Origin.POLL);
    for (int i = 1; i <= 5; i++) {
      work.git("tag", "v1.0." + i);
    }
    work.git("push", "-q", "origin", "--tags");

    List<RefChanged> changes = tracker.refresh(origin, RefChanged.Origin.GITHUB_WEBHOOK);

    assertThat(changes)
        .extracting(RefChanged::ref)
        .containsExactly(
            "refs/tags/v1.0.1",
            "refs/tags/v1.0.2",
            "refs/tags/v1.0.3",
            "refs/tags/v1.0.4",
            "refs/tags/v1.0.5");
    assertThat(changes).allMatch(c -> c.change() == RefChanged.Change.CREATED);
    assertThat(heard).isEqualTo(changes);
    assertThat(meters.counter("tagflow.source.events", "origin", "github_webhook").count())
        .isEqualTo(5);
  }

  @Test
  void aSecondRefreshOfTheSamePushReportsNothing() {
    tracker.refresh(origin, RefChanged.Origin.POLL);
    work.git("tag", "v1.0.0");
    work.git("push", "-q", "origin", "--tags");

    assertThat(tracker.refresh(origin, RefChanged.Origin.GIT_SERVER)).hasSize(1);
    assertThat(tracker.refresh(origin, RefChanged.Origin.POLL)).isEmpty();
  }

  @Test
  void movedAndDeletedTagsAndBranchesProduceEvents() {
    String first = work.git("rev-parse", "HEAD").strip();
    work.git("tag", "v1.0.0");
    work.git("tag", "old");
    work.git("push", "-q", "origin", "--tags");
    tracker.refresh(origin, RefChanged.Origin.POLL);

    String second = work.commitFile("README.md", "again\n", "second");
    work.git("tag", "-f", "v1.0.0");
    work.git("push", "-q", "-f", "origin", "main", "v1.0.0");
    work.git("push", "-q", "origin", ":refs/tags/old");

    List<RefChanged> changes = tracker.refresh(origin, RefChanged.Origin.POLL);

    assertThat(changes)
        .containsExactly(
            change("refs/heads/main", first, second, changes),
            new RefChanged(
                origin,
                "refs/tags/old",
                Optional.of(first),
                Optional.empty(),
                RefChanged.Origin.POLL,
                changes.getFirst().seenAt()),
            change("refs/tags/v1.0.0", first, second, changes));
    assertThat(changes.get(1).change()).isEqualTo(RefChanged.Change.DELETED);
    assertThat(changes.get(2).change()).isEqualTo(RefChanged.Change.MOVED);
  }

  @Test
  void annotatedTagsAreReportedWithTheirCommit() {
    tracker.refresh(origin, RefChanged.Origin.POLL);
    String head = work.git("rev-parse", "HEAD").strip();
    work.git("tag", "-a", "-m", "release", "v2.0.0");
    work.git("push", "-q", "origin", "--tags");

    assertThat(tracker.refresh(origin, RefChanged.Origin.POLL).getFirst().newCommit())
        .contains(head);
  }

  @Test
  void anEmptyBaselineReportsEveryExistingRef() {
    tracker.track(origin, Map.of());

    assertThat(tracker.refresh(origin, RefChanged.Origin.GIT_SERVER))
        .extracting(RefChanged::ref)
        .containsExactly("refs/heads/main");
  }

  @Test
  void anUnreachableRemoteFailsClearlyAndKeepsWhatWasSeen() throws Exception {
    tracker.refresh(origin, RefChanged.Origin.POLL);
    Map<String, String> seen = tracker.lastSeen(origin).orElseThrow();
    FileUtils.delete(root.resolve("origin.git").toFile(), FileUtils.RECURSIVE);

    assertThatThrownBy(() -> tracker.refresh(origin, RefChanged.Origin.POLL))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("cannot reach repository " + origin);
    assertThat(tracker.lastSeen(origin)).contains(seen);
    assertThat(heard).isEmpty();
  }

  private RefChanged change(String ref, String from, String to, List<RefChanged> changes) {
    return new RefChanged(
        origin,
        ref,
        Optional.of(from),
        Optional.of(to),
        RefChanged.Origin.POLL,
        changes.getFirst().seenAt());
  }
}
