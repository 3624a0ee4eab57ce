package dev.tagflow.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differ's verdicts in a real SQLite store, read back by a new process or refused as misses.
 */
class StoredVerdictsTest {

  @TempDir Path data;

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final String CLUSTER = "0b7e9c1a-uid/v1.34.1";
  private final ObjectRef web = new ObjectRef("apps/v1", "Deployment", "shop", "web");
  private final ObjectRef other = new ObjectRef("v1", "ConfigMap", "shop", "settings");

  private Store store() {
    return JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)));
  }

  private static StoredVerdicts verdicts(Store store, String cluster, Instant at) {
    return new StoredVerdicts(
        store.memo(), cluster, StoredVerdicts.Options.defaults(), Clock.fixed(at, ZoneOffset.UTC));
  }

  @Test
  void aVerdictWrittenByOneProcessIsReadByTheNext() {
    try (Store store = store();
        StoredVerdicts first = verdicts(store, CLUSTER, NOW)) {
      assertThat(first.save(web, "hash-1", "uid-1@41")).isEqualTo(NOW.toEpochMilli());
    }
    try (Store store = store();
        StoredVerdicts next = verdicts(store, CLUSTER, NOW.plusSeconds(60))) {
      Map<ObjectRef, StoredVerdicts.Verdict> found = next.load(List.of(web, other));

      assertThat(found)
          .containsExactly(
              Map.entry(web, new StoredVerdicts.Verdict("hash-1", "uid-1@41", NOW.toEpochMilli())));
      assertThat(next.rejected()).isZero();
    }
  }

  @Test
  void aVerdictOfAnotherClusterOrAnotherApiServerVersionIsAMiss() {
    try (Store store = store();
        StoredVerdicts first = verdicts(store, CLUSTER, NOW)) {
      first.save(web, "hash-1", "uid-1@41");
    }
    try (Store store = store();
        StoredVerdicts recreated = verdicts(store, "another-uid/v1.34.1", NOW);
        StoredVerdicts upgraded = verdicts(store, "0b7e9c1a-uid/v1.35.0", NOW)) {
      assertThat(recreated.load(List.of(web))).isEmpty();
      assertThat(upgraded.load(List.of(web))).isEmpty();
    }
  }

  @Test
  void damagedValuesAndValuesOfAnotherFormatAreMisses() {
    try (Store store = store();
        StoredVerdicts verdicts = verdicts(store, CLUSTER, NOW)) {
      verdicts.save(web, "hash-1", "uid-1@41");
      verdicts.save(other, "hash-2", "uid-2@7");
      verdicts.flush();
      String webKey = verdicts.key(web);
      String otherKey = verdicts.key(other);
      String good = new String(store.memo().getAll(List.of(otherKey)).get(otherKey), UTF8);
      store
          .memo()
          .putAll(
              Map.of(
                  webKey,
                  new byte[] {(byte) 0xff, 0, 1, 2},
                  otherKey,
                  good.replace(StoredVerdicts.FORMAT, "tagflow-diff-memo 2").getBytes(UTF8)));

      assertThat(verdicts.load(List.of(web, other))).isEmpty();
      assertThat(verdicts.rejected()).isEqualTo(2);

      for (String damaged :
          List.of(
              "",
              good.substring(0, good.lastIndexOf('\n')),
              good.replace("InSync", "OutOfSync"),
              good.substring(0, good.lastIndexOf('\n') + 1) + "not-a-time",
              good + "\nextra line",
              good.replace("settings", "other-name"))) {
        store.memo().putAll(Map.of(otherKey, damaged.getBytes(UTF8)));
        assertThat(verdicts.load(List.of(other))).as(damaged).isEmpty();
      }
    }
  }

  @Test
  void aVerdictOlderThanTheMaximumAgeIsAMissAndAnOldOneInUseIsDueAgain() {
    try (Store store = store();
        StoredVerdicts first = verdicts(store, CLUSTER, NOW)) {
      first.save(web, "hash-1", "uid-1@41");
    }
    Instant weekLater = NOW.plus(Duration.ofDays(7)).plusSeconds(1);
    try (Store store = store();
        StoredVerdicts halfAWeek = verdicts(store, CLUSTER, NOW.plus(Duration.ofDays(4)));
        StoredVerdicts later = verdicts(store, CLUSTER, weekLater)) {
      assertThat(halfAWeek.due(NOW.toEpochMilli())).isTrue();
      assertThat(halfAWeek.due(NOW.plus(Duration.ofDays(1)).toEpochMilli())).isFalse();
      assertThat(later.load(List.of(web))).isEmpty();
    }
  }

  @Test
  void manyQueuedWritesAreAllWrittenInBatches() {
    try (Store store = store();
        StoredVerdicts verdicts = verdicts(store, CLUSTER, NOW)) {
      List<ObjectRef> refs =
          IntStream.range(0, 2_500)
              .mapToObj(i -> new ObjectRef("v1", "ConfigMap", "shop", "c" + i))
              .toList();
      refs.forEach(ref -> verdicts.save(ref, "hash", "uid@1"));
      verdicts.flush();

      assertThat(verdicts.load(refs)).hasSize(2_500);
    }
  }

  @Test
  void theStoreKeepsNoMoreThanTheLimitOfVerdicts() {
    var bounded =
        new StoredVerdicts.Options(
            Duration.ofDays(7), 100, Duration.ofMillis(250), 1_000, 100_000, Duration.ofHours(1));
    try (Store store = store();
        StoredVerdicts verdicts =
            new StoredVerdicts(store.memo(), CLUSTER, bounded, Clock.fixed(NOW, ZoneOffset.UTC))) {
      List<ObjectRef> refs =
          IntStream.range(0, 150)
              .mapToObj(i -> new ObjectRef("v1", "ConfigMap", "shop", "c" + i))
              .toList();
      refs.forEach(ref -> verdicts.save(ref, "hash", "uid@1"));
      verdicts.flush();

      assertThat(verdicts.load(refs)).hasSize(100);
    }
  }

  private static final Charset UTF8 = StandardCharsets.UTF_8;
}
