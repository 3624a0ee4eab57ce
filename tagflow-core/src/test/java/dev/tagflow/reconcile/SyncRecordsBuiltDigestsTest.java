package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.store.BuiltImage;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The digests the pipeline recorded, for images whose Pods report none (kwok's). */
class SyncRecordsBuiltDigestsTest {

  @TempDir Path data;

  private static final String ONE = "sha256:" + "1".repeat(64);
  private static final String TWO = "sha256:" + "2".repeat(64);
  private static final String THREE = "sha256:" + "3".repeat(64);

  @Test
  void aReferenceGetsTheDigestOfItsNewestPushAndUnknownOnesNone() {
    try (JdbcStore store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      Instant t = Instant.parse("2026-03-01T10:00:00Z");
      store
          .builtImages()
          .record(
              List.of(
                  built("run-1", "reg:5000/web", ONE, List.of("1.0.0", "latest"), t),
                  built("run-2", "reg:5000/api", TWO, List.of("1.0.0"), t)));
      // web:latest pushed again later, by another run: the newest push counts.
      store
          .builtImages()
          .record(
              List.of(
                  built(
                      "run-3",
                      "reg:5000/web",
                      THREE,
                      List.of("1.1.0", "latest"),
                      t.plusSeconds(60))));
      SyncRecords records = new SyncRecords(store);

      assertThat(
              records.builtDigests(
                  Set.of(
                      "reg:5000/web:1.0.0",
                      "reg:5000/web:latest",
                      "reg:5000/api:1.0.0",
                      "reg:5000/web:9.9.9",
                      "other/web:1.0.0")))
          .isEqualTo(
              Map.of(
                  "reg:5000/web:1.0.0", ONE,
                  "reg:5000/web:latest", THREE,
                  "reg:5000/api:1.0.0", TWO));
      assertThat(records.builtDigests(Set.of())).isEmpty();
    }
  }

  private static BuiltImage built(
      String run, String image, String digest, List<String> tags, Instant at) {
    // As the pipeline records it: the image pushed by digest.
    return new BuiltImage(
        run,
        "git/app",
        "refs/tags/v" + tags.getFirst(),
        "c".repeat(40),
        image + "@" + digest,
        digest,
        tags,
        at);
  }
}
