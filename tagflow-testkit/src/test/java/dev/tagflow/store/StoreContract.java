package dev.tagflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.release.Release;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store must do, whatever database is under it. Subclasses give a fresh, empty database
 * per test.
 */
abstract class StoreContract {

  /** This Tagflow's migrations. */
  static final String CORE_MIGRATIONS = "classpath:db/migration";

  /** One more migration, as a newer Tagflow would have applied it. */
  static final String FUTURE_MIGRATIONS = "classpath:db/future";

  protected MovableClock clock;

  /** Options for this test's database (the same database each call within a test). */
  protected abstract StoreOptions options();

  /** A direct connection to this test's database, to look at what the store wrote. */
  protected abstract Connection inspect() throws SQLException;

  /** Flyway on this test's database, for the tests that play a newer Tagflow. */
  protected abstract Flyway flyway(String... locations);

  /** Options naming a database that cannot be reached, with {@code secret} as its password. */
  protected abstract StoreOptions unreachable(String secret);

  @BeforeEach
  void startTheClock() {
    clock = new MovableClock(Instant.parse("2026-03-01T10:00:00.123Z"));
  }

  private JdbcStore open() {
    return JdbcStore.open(options().withClock(clock));
  }

  // --- statuses ---

  @Test
  void statusIsReplacedAndCountsItsGenerations() {
    try (Store store = open()) {
      StatusSnapshot first = store.statuses().put("web", 1, "{\"sync\":\"OutOfSync\"}");
      clock.advance(Duration.ofSeconds(5));
      StatusSnapshot second = store.statuses().put("web", 2, "{\"sync\":\"Synced\"}");
      store.statuses().put("api", 1, "{}");

      assertThat(first.generation()).isEqualTo(1);
      assertThat(second.generation()).isEqualTo(2);
      assertThat(store.statuses().get("web"))
          .contains(
              new StatusSnapshot(
                  "web", 2, "{\"sync\":\"Synced\"}", 2, Instant.parse("2026-03-01T10:00:05.123Z")));
      assertThat(store.statuses().all())
          .extracting(StatusSnapshot::application)
          .containsExactly("api", "web");
      assertThat(store.statuses().delete("web")).isTrue();
      assertThat(store.statuses().delete("web")).isFalse();
      assertThat(store.statuses().get("web")).isEmpty();
    }
  }

  // --- history ---

  @Test
  void historyCountsIdsPerApplicationAndListsNewestFirst() {
    try (Store store = open()) {
      String hash = store.manifests().put(bytes("kind: ConfigMap"));
      SyncRecord first =
          new SyncRecord(
              "a".repeat(40),
              "main",
              Optional.of("web@v1.0.0"),
              hash,
              "[{\"action\":\"created\"}]",
              SyncTrigger.AUTOMATION,
              SyncResult.SUCCEEDED,
              Optional.of("Healthy"),
              "",
              Instant.parse("2026-03-01T10:00:00.500Z"),
              Optional.of(Instant.parse("2026-03-01T10:00:02.250Z")));
      HistoryEntry one = store.history().record("web", first);
      HistoryEntry two = store.history().record("web", sync("b", hash, SyncTrigger.SELF_HEAL));
      HistoryEntry other = store.history().record("api", sync("c", hash, SyncTrigger.USER));

      assertThat(List.of(one.id(), two.id(), other.id())).containsExactly(1L, 2L, 1L);
      assertThat(store.history().get("web", 1)).contains(new HistoryEntry("web", 1, first));
      assertThat(store.history().list("web")).extracting(HistoryEntry::id).containsExactly(2L, 1L);
      assertThat(store.history().list("web").getFirst().sync().finishedAt()).isEmpty();
      assertThat(store.history().get("web", 3)).isEmpty();
      assertThat(store.history().list("nobody")).isEmpty();
    }
  }

  @Test
  void historyKeepsTheLastEntriesOfEachApplication() {
    try (Store store = JdbcStore.open(options().withClock(clock).withHistoryLimit(3))) {
      String hash = store.manifests().put(bytes("kind: ConfigMap"));
      for (int i = 1; i <= 5; i++) {
        store.history().record("web", sync("c" + i, hash, SyncTrigger.AUTOMATION));
      }
      store.history().record("api", sync("x", hash, SyncTrigger.AUTOMATION));

      assertThat(store.history().list("web"))
          .extracting(HistoryEntry::id)
          .containsExactly(5L, 4L, 3L);
      assertThat(store.history().list("web").getLast().sync().commit()).isEqualTo("c3");
      assertThat(store.history().list("api")).hasSize(1);
      // Ids go on from the newest kept entry: 6 is new, never one pruned.
      assertThat(store.history().record("web", sync("c6", hash, SyncTrigger.USER)).id())
          .isEqualTo(6);
    }
  }

  @Test
  void historyUpdateChangesTheOutcomeOnly() {
    try (Store store = open()) {
      String hash = store.manifests().put(bytes("kind: Deployment"));
      HistoryEntry running =
          store
              .history()
              .record(
                  "web",
                  SyncRecord.started(
                      "d".repeat(40),
                      "v1.2.3",
                      hash,
                      SyncTrigger.ROLLBACK_POLICY,
                      clock.instant()));
      SyncRecord done =
          running
              .sync()
              .finished(
                  SyncResult.FAILED,
                  "[{\"action\":\"failed\"}]",
                  "Deployment web: progress deadline exceeded",
                  Instant.parse("2026-03-01T10:05:00Z"))
              .withHealthAfter("Degraded")
              .withRelease("web@v1.2.3");

      assertThat(store.history().update(new HistoryEntry("web", running.id(), done))).isTrue();
      assertThat(store.history().get("web", running.id()).orElseThrow().sync()).isEqualTo(done);
      assertThat(store.history().update(new HistoryEntry("web", 99, done))).isFalse();
      SyncRecord otherCommit =
          new SyncRecord(
              "e".repeat(40),
              done.requestedRef(),
              done.releaseId(),
              hash,
              done.changeSetJson(),
              done.trigger(),
              done.result(),
              done.healthAfter(),
              done.message(),
              done.startedAt(),
              done.finishedAt());
      assertThatThrownBy(
              () -> store.history().update(new HistoryEntry("web", running.id(), otherCommit)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("only its outcome can change");
      assertThat(store.history().get("web", running.id()).orElseThrow().sync()).isEqualTo(done);
    }
  }

  @Test
  void recordingASyncWhoseManifestsAreNotStoredIsRefused() {
    try (Store store = open()) {
      String missing = "0".repeat(64);
      assertThatThrownBy(
              () -> store.history().record("web", sync("a", missing, SyncTrigger.AUTOMATION)))
          .isInstanceOf(TagflowException.class)
          .hasMessageContaining("manifests " + missing + " are not stored")
          .hasMessageContaining("ManifestStore.put");
      assertThat(store.history().list("web")).isEmpty();
    }
  }

  // --- manifests ---

  @Test
  void manifestsAreStoredOnceUnderTheirSha256() throws SQLException {
    try (Store store = open()) {
      String first = store.manifests().put(bytes("abc"));
      String again = store.manifests().put(bytes("abc"));

      assertThat(first)
          .isEqualTo(again)
          .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
      assertThat(store.manifests().get(first))
          .hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("abc")));
      assertThat(store.manifests().contains(first)).isTrue();
      assertThat(store.manifests().get("f".repeat(64))).isEmpty();
      assertThat(count("manifests")).isEqualTo(1);
    }
  }

  @Test
  void tenEntriesOfAnUnchangedApplicationCostOneCopyOfItsManifests() throws SQLException {
    try (Store store = open()) {
      for (int i = 0; i < 10; i++) {
        String hash = store.manifests().put(bytes("the same manifests"));
        store.history().record("web", sync("c" + i, hash, SyncTrigger.AUTOMATION));
      }
      assertThat(store.history().list("web")).hasSize(10);
      assertThat(count("manifests")).isEqualTo(1);
    }
  }

  @Test
  void pruningHistoryRemovesTheManifestsNoEntryUses() {
    try (Store store = JdbcStore.open(options().withClock(clock).withHistoryLimit(2))) {
      String old = store.manifests().put(bytes("old"));
      String shared = store.manifests().put(bytes("shared with api"));
      String current = store.manifests().put(bytes("current"));
      store.history().record("api", sync("a", shared, SyncTrigger.AUTOMATION));
      store.history().record("web", sync("1", old, SyncTrigger.AUTOMATION));
      store.history().record("web", sync("2", shared, SyncTrigger.AUTOMATION));
      store.history().record("web", sync("3", current, SyncTrigger.AUTOMATION));
      assertThat(store.manifests().contains(old)).as("entry 1 pruned, its manifests too").isFalse();

      store.history().record("web", sync("4", current, SyncTrigger.AUTOMATION));
      assertThat(store.manifests().contains(shared)).as("still used by api").isTrue();
      assertThat(store.manifests().contains(current)).isTrue();
    }
  }

  @Test
  void garbageCollectionRemovesOnlyUnusedManifestsPutBeforeTheBound() {
    try (Store store = open()) {
      String orphan = store.manifests().put(bytes("never recorded"));
      String used = store.manifests().put(bytes("recorded"));
      store.history().record("web", sync("a", used, SyncTrigger.AUTOMATION));
      clock.advance(Duration.ofMinutes(10));
      String fresh = store.manifests().put(bytes("about to be recorded"));

      int removed = store.manifests().collectGarbage(clock.instant().minus(Duration.ofMinutes(5)));

      assertThat(removed).isEqualTo(1);
      assertThat(store.manifests().contains(orphan)).isFalse();
      assertThat(store.manifests().contains(used)).isTrue();
      assertThat(store.manifests().contains(fresh)).isTrue();
    }
  }

  // --- releases ---

  @Test
  void aReleaseIsWrittenOnceAndNeverChanged() {
    try (Store store = open()) {
      Release release =
          new Release(
              "web-production@v1.2.3",
              Optional.of("v1.2.3"),
              "f".repeat(40),
              List.of(
                  new Release.Image(
                      "127.0.0.1:5000/web:1.2.3", Optional.of("sha256:" + "1".repeat(64))),
                  new Release.Image("busybox:1.36", Optional.empty())),
              Optional.of(new Release.Chart("web", "0.3.0")),
              "a".repeat(64),
              Instant.parse("2026-03-01T10:00:00.123456789Z"));

      assertThat(store.releases().insert(release)).isTrue();
      assertThat(store.releases().insert(release)).as("the same release again").isFalse();
      Release changed =
          new Release(
              release.id(),
              release.tag(),
              "0".repeat(40),
              release.images(),
              release.chart(),
              release.manifestsHash(),
              release.createdAt());
      assertThatThrownBy(() -> store.releases().insert(changed))
          .isInstanceOf(TagflowException.class)
          .hasMessageContaining("release web-production@v1.2.3 is already recorded")
          .hasMessageContaining("record the new one under another id");

      Release stored = store.releases().get(release.id()).orElseThrow();
      assertThat(stored.images()).isEqualTo(release.images());
      assertThat(stored.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
      assertThat(stored.commit()).isEqualTo("f".repeat(40));
      assertThat(stored.chart()).contains(new Release.Chart("web", "0.3.0"));
      assertThat(store.releases().byCommit("f".repeat(40))).containsExactly(stored);
      assertThat(store.releases().get("nope")).isEmpty();
    }
  }

  // --- pipeline runs: queued, started, ended ---

  private RunRecord run(String id, RunRecord.RunStatus status) {
    return new RunRecord(
        id,
        "acme/web",
        ".github/workflows/release.yml",
        "refs/tags/v1.2.3",
        "c".repeat(40),
        "workflow_dispatch",
        status,
        clock.instant(),
        Optional.empty(),
        "/data/runs/" + id + "/log.txt",
        Optional.empty());
  }

  @Test
  void aQueuedRunKeepsItsRequestSurvivesInterruptionAndStartsOnce() {
    try (Store store = open()) {
      String request = "{\"format\":1,\"inputs\":{\"level\":\"2\"}}";
      store.runs().queued(run("q1", RunRecord.RunStatus.QUEUED), request);
      clock.advance(Duration.ofSeconds(1));
      store.runs().queued(run("q2", RunRecord.RunStatus.QUEUED), "{}");
      store.runs().started(run("r1", RunRecord.RunStatus.RUNNING));
      assertThatThrownBy(() -> store.runs().queued(run("q1", RunRecord.RunStatus.QUEUED), "{}"))
          .isInstanceOf(TagflowException.class)
          .hasMessageContaining("run q1 is stored already");

      // A restart: the running run is interrupted, the queued ones wait on, oldest first.
      assertThat(store.runs().running()).containsExactly("r1");
      assertThat(store.runs().markInterrupted(clock.instant())).containsExactly("r1");
      assertThat(store.runs().queuedRuns())
          .extracting(q -> q.run().runId(), RunStore.QueuedRun::request)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("q1", request),
              org.assertj.core.groups.Tuple.tuple("q2", "{}"));

      // Its slot comes: the queued record becomes the running one, started now.
      clock.advance(Duration.ofSeconds(5));
      store.runs().started(run("q1", RunRecord.RunStatus.RUNNING));
      RunRecord started = store.runs().get("q1").orElseThrow();
      assertThat(started.status()).isEqualTo(RunRecord.RunStatus.RUNNING);
      assertThat(started.started()).isEqualTo(clock.instant());
      assertThatThrownBy(() -> store.runs().started(run("q1", RunRecord.RunStatus.RUNNING)))
          .as("a run starts once")
          .isInstanceOf(TagflowException.class);
      assertThat(store.runs().queuedRuns()).extracting(q -> q.run().runId()).containsExactly("q2");

      // A queued run that cannot start ends without running.
      assertThat(store.runs().finished("q2", RunRecord.RunStatus.FAILURE, clock.instant(), "{}"))
          .isTrue();
      assertThat(store.runs().queuedRuns()).isEmpty();
      assertThat(store.runs().get("q2").orElseThrow().status())
          .isEqualTo(RunRecord.RunStatus.FAILURE);
    }
  }

  @Test
  void builtImagesAreRecordedPerRunAndLinkToTheApplicationsRunningTheirDigest() {
    try (Store store = open()) {
      String digest = "sha256:" + "2".repeat(64);
      BuiltImage web =
          new BuiltImage(
              "run-1",
              "acme/web",
              "refs/tags/v1.2.3",
              "c".repeat(40),
              "127.0.0.1:5000/acme/web",
              digest,
              List.of("1.2.3", "cccccccccccc"),
              Instant.parse("2026-03-01T10:00:00.123Z"));
      BuiltImage other =
          new BuiltImage(
              "run-2",
              "acme/api",
              "refs/tags/v2.0.0",
              "d".repeat(40),
              "127.0.0.1:5000/acme/api",
              "sha256:" + "3".repeat(64),
              List.of(),
              Instant.parse("2026-03-01T11:00:00Z"));
      store.builtImages().record(List.of(web));
      store.builtImages().record(List.of(web));
      store.builtImages().record(List.of(other));

      assertThat(store.builtImages().ofRun("run-1")).containsExactly(web);
      assertThat(store.builtImages().latest(null, 10)).containsExactly(other, web);
      assertThat(store.builtImages().latest("acme/web", 10)).containsExactly(web);
      assertThat(store.builtImages().latest(null, 1)).containsExactly(other);

      // web-dev's sync linked a Release running that digest (recorded once Healthy); web-prod's
      // ran another image, and api-dev linked none.
      Release running =
          new Release(
              "v1.2.3-aaaaaaaaaaaa",
              Optional.of("v1.2.3"),
              "e".repeat(40),
              List.of(new Release.Image("127.0.0.1:5000/acme/web:1.2.3", Optional.of(digest))),
              Optional.empty(),
              "a".repeat(64),
              clock.instant());
      store.releases().insert(running);
      String hash = store.manifests().put(bytes("kind: Deployment"));
      HistoryEntry dev =
          store
              .history()
              .record(
                  "web-dev",
                  SyncRecord.started(
                      "e".repeat(40), "main", hash, SyncTrigger.AUTOMATION, clock.instant()));
      store
          .history()
          .update(new HistoryEntry("web-dev", dev.id(), dev.sync().withRelease(running.id())));
      store
          .history()
          .record(
              "web-prod",
              SyncRecord.started(
                  "e".repeat(40), "main", hash, SyncTrigger.AUTOMATION, clock.instant()));

      assertThat(store.releases().deployedWith(digest))
          .extracting(ReleaseStore.Deployment::application, ReleaseStore.Deployment::releaseId)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("web-dev", running.id()));
      assertThat(store.releases().deployedWith(other.digest())).isEmpty();
    }
  }

  @Test
  void aReleaseWithoutTagChartOrImagesReadsBackAsWritten() {
    try (Store store = open()) {
      Release bare =
          new Release(
              "api@abc",
              Optional.empty(),
              "b".repeat(40),
              List.of(),
              Optional.empty(),
              "c".repeat(64),
              Instant.parse("2026-03-01T10:00:00Z"));
      store.releases().insert(bare);
      assertThat(store.releases().get("api@abc")).contains(bare);
    }
  }

  // --- events ---

  @Test
  void eventsAreListedNewestFirstAndBoundedPerApplication() {
    try (Store store = JdbcStore.open(options().withClock(clock).withEventLimit(3))) {
      for (int i = 1; i <= 5; i++) {
        store
            .events()
            .append(
                new Event(
                    "web",
                    Instant.parse("2026-03-01T10:00:00Z").plusSeconds(i),
                    i == 5 ? EventType.WARNING : EventType.NORMAL,
                    "Step" + i,
                    "step " + i));
      }
      store
          .events()
          .append(new Event("api", clock.instant(), EventType.NORMAL, "SyncSucceeded", "synced"));

      assertThat(store.events().recent("web", 10))
          .extracting(Event::reason)
          .containsExactly("Step5", "Step4", "Step3");
      assertThat(store.events().recent("web", 1).getFirst())
          .isEqualTo(
              new Event(
                  "web",
                  Instant.parse("2026-03-01T10:00:05Z"),
                  EventType.WARNING,
                  "Step5",
                  "step 5"));
      assertThat(store.events().recent("api", 10)).hasSize(1);
    }
  }

  // --- memo ---

  @Test
  void theMemoIsReadAndWrittenInBulk() {
    try (Store store = open()) {
      Map<String, byte[]> values = new LinkedHashMap<>();
      // More keys than one query asks for at once.
      IntStream.range(0, 1200).forEach(i -> values.put("h" + i + "@rv" + i, bytes("same-" + i)));
      store.memo().putAll(values);
      store.memo().putAll(Map.of("h0@rv0", bytes("changed")));

      List<String> keys = new ArrayList<>(values.keySet());
      keys.add("unknown");
      Map<String, byte[]> found = store.memo().getAll(keys);

      assertThat(found).hasSize(1200).doesNotContainKey("unknown");
      assertThat(found.get("h0@rv0")).isEqualTo(bytes("changed"));
      assertThat(found.get("h1199@rv1199")).isEqualTo(bytes("same-1199"));
      assertThat(store.memo().getAll(List.of())).isEmpty();
    }
  }

  @Test
  void memoValuesWrittenBeforeABoundAreRemoved() {
    try (Store store = open()) {
      store.memo().putAll(Map.of("old", bytes("1")));
      clock.advance(Duration.ofHours(2));
      store.memo().putAll(Map.of("new", bytes("2")));

      assertThat(store.memo().removeWrittenBefore(clock.instant().minus(Duration.ofHours(1))))
          .isEqualTo(1);
      assertThat(store.memo().getAll(List.of("old", "new"))).containsOnlyKeys("new");
    }
  }

  @Test
  void theMemoKeepsOnlyItsNewestValuesBeyondALimit() {
    try (Store store = open()) {
      for (int i = 0; i < 5; i++) {
        store.memo().putAll(Map.of("k" + i, bytes("v" + i)));
        clock.advance(Duration.ofSeconds(1));
      }

      assertThat(store.memo().keepNewest(10)).isZero();
      assertThat(store.memo().keepNewest(2)).isEqualTo(3);
      assertThat(store.memo().getAll(List.of("k0", "k1", "k2", "k3", "k4")))
          .containsOnlyKeys("k3", "k4");
      assertThat(store.memo().keepNewest(0)).isEqualTo(2);
      assertThat(store.memo().getAll(List.of("k3", "k4"))).isEmpty();
    }
  }

  // --- operations ---

  @Test
  void operationsInFlightAreSavedReplacedListedAndCleared() {
    try (Store store = open()) {
      store.operations().save("web", bytes("{\"step\":0}"));
      clock.advance(Duration.ofSeconds(1));
      store.operations().save("web", bytes("{\"step\":1}"));
      store.operations().save("api", bytes("{\"step\":3}"));

      InFlightOperation web = store.operations().load("web").orElseThrow();
      assertThat(web.state()).isEqualTo(bytes("{\"step\":1}"));
      assertThat(web.savedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:01.123Z"));
      assertThat(store.operations().inFlight())
          .extracting(InFlightOperation::application)
          .containsExactly("api", "web");
      assertThat(store.operations().clear("web")).isTrue();
      assertThat(store.operations().clear("web")).isFalse();
      assertThat(store.operations().load("web")).isEmpty();
      assertThat(store.operations().inFlight()).hasSize(1);
    }
  }

  // --- whole store ---

  @Test
  void forgettingAnApplicationRemovesItsRecordsAndTheManifestsOnlyItUsed() {
    try (Store store = open()) {
      String own = store.manifests().put(bytes("web only"));
      String shared = store.manifests().put(bytes("shared"));
      store.history().record("web", sync("a", own, SyncTrigger.AUTOMATION));
      store.history().record("web", sync("b", shared, SyncTrigger.AUTOMATION));
      store.history().record("api", sync("c", shared, SyncTrigger.AUTOMATION));
      store.statuses().put("web", 1, "{}");
      store.events().append(new Event("web", clock.instant(), EventType.NORMAL, "R", "m"));
      store.operations().save("web", bytes("{}"));

      store.forget("web");

      assertThat(store.history().list("web")).isEmpty();
      assertThat(store.statuses().get("web")).isEmpty();
      assertThat(store.events().recent("web", 10)).isEmpty();
      assertThat(store.operations().load("web")).isEmpty();
      assertThat(store.manifests().contains(own)).isFalse();
      assertThat(store.manifests().contains(shared)).isTrue();
      assertThat(store.history().list("api")).hasSize(1);
    }
  }

  @Test
  void everythingSurvivesClosingAndOpeningAgain() {
    String hash;
    Release release =
        new Release(
            "web@v2",
            Optional.of("v2"),
            "9".repeat(40),
            List.of(new Release.Image("web:2", Optional.empty())),
            Optional.empty(),
            "8".repeat(64),
            Instant.parse("2026-03-01T09:00:00Z"));
    try (Store store = open()) {
      hash = store.manifests().put(bytes("apiVersion: v1\nkind: ConfigMap\n"));
      store.history().record("web", sync("a", hash, SyncTrigger.AUTOMATION));
      store.statuses().put("web", 1, "{\"health\":\"Healthy\"}");
      store.releases().insert(release);
      store.events().append(new Event("web", clock.instant(), EventType.NORMAL, "Synced", "ok"));
      store.memo().putAll(Map.of("k", bytes("InSync")));
      store.operations().save("web", bytes("{\"step\":2}"));
    }

    try (Store reopened = open()) {
      assertThat(reopened.history().list("web")).hasSize(1);
      assertThat(reopened.manifests().get(hash))
          .hasValueSatisfying(
              b -> assertThat(b).isEqualTo(bytes("apiVersion: v1\nkind: ConfigMap\n")));
      assertThat(reopened.statuses().get("web").orElseThrow().json())
          .isEqualTo("{\"health\":\"Healthy\"}");
      assertThat(reopened.releases().get("web@v2")).contains(release);
      assertThat(reopened.events().recent("web", 5))
          .extracting(Event::reason)
          .containsExactly("Synced");
      assertThat(reopened.memo().getAll(List.of("k")).get("k")).isEqualTo(bytes("InSync"));
      assertThat(reopened.operations().inFlight())
          .singleElement()
          .satisfies(op -> assertThat(op.state()).isEqualTo(bytes("{\"step\":2}")));
    }
  }

  @Test
  void releasingTheCachesKeepsEverythingReadableAndWritable() {
    try (Store store = open()) {
      for (int i = 0; i < 50; i++) {
        store.statuses().put("app-" + i, 1, "{\"n\":" + i + "}");
      }
      store.statuses().get("app-7");

      store.releaseCaches();

      assertThat(store.statuses().get("app-7")).map(StatusSnapshot::json).hasValue("{\"n\":7}");
      store.statuses().put("app-50", 1, "{}");
      assertThat(store.statuses().get("app-50")).isPresent();
    }
  }

  @Test
  void openingAgainRunsNoMigrationTwice() throws SQLException {
    open().close();
    try (Store store = open()) {
      store.statuses().put("web", 1, "{}");
    }
    open().close();

    // One row per migration: none was applied twice.
    assertThat(count("flyway_schema_history"))
        .isEqualTo(flyway(CORE_MIGRATIONS).info().all().length);
    assertThat(flyway(CORE_MIGRATIONS).info().pending()).isEmpty();
    try (Store store = open()) {
      assertThat(store.statuses().get("web")).isPresent();
    }
  }

  @Test
  void aHistoryThatLacksAMigrationIsLeftToFlyway() throws SQLException {
    open().close();
    // The newest migration forgotten by the history while its tables stay: opening must not take
    // the schema as up to date, and Flyway, applying it again, fails on the tables it finds.
    String latest = flyway(CORE_MIGRATIONS).info().current().getVersion().getVersion();
    try (Connection connection = inspect();
        PreparedStatement forget =
            connection.prepareStatement("DELETE FROM flyway_schema_history WHERE version = ?")) {
      forget.setString(1, latest);
      assertThat(forget.executeUpdate()).isOne();
    }

    assertThatThrownBy(this::open)
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("could not bring the schema of the database");
  }

  @Test
  void aDatabaseWrittenByANewerTagflowIsRefused() {
    open().close();
    // The newest migration this Tagflow has, whoever adds the next one.
    String latest = flyway(CORE_MIGRATIONS).info().current().getVersion().getVersion();
    flyway(CORE_MIGRATIONS, FUTURE_MIGRATIONS).migrate();

    assertThatThrownBy(this::open)
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("was written by a newer Tagflow")
        .hasMessageContaining("schema version 999")
        .hasMessageContaining("this Tagflow knows versions up to " + latest)
        .hasMessageContaining(options().database().redacted());
  }

  @Test
  void anUnreachableDatabaseIsOneMessageNamingItWithoutThePassword() {
    String secret = "s3cret-" + Long.toHexString(System.nanoTime());
    StoreOptions options = unreachable(secret);

    assertThatThrownBy(() -> JdbcStore.open(options))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining(options.database().redacted())
        .satisfies(
            e -> {
              for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
              }
            });
  }

  @Test
  void manyVirtualThreadsWriteDifferentApplicationsAtOnce() throws Exception {
    int applications = 8;
    int rounds = 25;
    try (Store store = open();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> writers = new ArrayList<>();
      for (int a = 0; a < applications; a++) {
        String app = "app-" + a;
        writers.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < rounds; i++) {
                    String hash = store.manifests().put(bytes(app + " manifests " + i));
                    store.history().record(app, sync("c" + i, hash, SyncTrigger.AUTOMATION));
                    store.statuses().put(app, 1, "{\"round\":" + i + "}");
                    store
                        .events()
                        .append(new Event(app, clock.instant(), EventType.NORMAL, "R", "" + i));
                    store.operations().save(app, bytes("" + i));
                    store.memo().putAll(Map.of(app + "/" + i, bytes("v")));
                    store.history().list(app);
                  }
                  return null;
                }));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }

      Map<String, Long> generations = new HashMap<>();
      store.statuses().all().forEach(s -> generations.put(s.application(), s.generation()));
      assertThat(generations)
          .hasSize(applications)
          .allSatisfy((app, g) -> assertThat(g).isEqualTo(rounds));
      for (int a = 0; a < applications; a++) {
        assertThat(store.history().list("app-" + a))
            .extracting(HistoryEntry::id)
            .startsWith((long) rounds)
            .hasSize(StoreOptions.DEFAULT_HISTORY_LIMIT);
        assertThat(store.events().recent("app-" + a, 100)).hasSize(rounds);
      }
      assertThat(store.operations().inFlight()).hasSize(applications);
    }
  }

  // --- helpers ---

  protected long count(String table) throws SQLException {
    try (Connection connection = inspect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static SyncRecord sync(String commit, String hash, SyncTrigger trigger) {
    return SyncRecord.started(commit, "main", hash, trigger, Instant.parse("2026-03-01T10:00:00Z"));
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
