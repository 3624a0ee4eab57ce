package dev.tagflow.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.server.metrics.RunMetrics;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run ends and new promotion requests, heard through the real SQLite store they are written to. */
class ObservedStoresTest {

  @TempDir Path temp;

  private Store store;

  @BeforeEach
  void open() {
    store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(temp)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static RunRecord running(String id, Instant started) {
    return new RunRecord(
        id,
        "acme/web",
        ".github/workflows/release.yml",
        "refs/tags/v1.2.3",
        "0123456789abcdef",
        "push",
        RunRecord.RunStatus.RUNNING,
        started,
        Optional.empty(),
        "run.log",
        Optional.empty());
  }

  @Test
  void aRunsEndIsHeardOnceAsStoredAndMeasuredByResult() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    List<RunRecord> heard = new CopyOnWriteArrayList<>();
    ObservedRuns runs =
        new ObservedRuns(
            store.runs(),
            List.of(
                heard::add,
                run -> {
                  throw new IllegalStateException("a broken listener");
                },
                new RunMetrics(meters)));
    Instant started = Instant.parse("2026-12-06T12:00:00Z");
    runs.started(running("r1", started));

    assertThat(runs.finished("r1", RunRecord.RunStatus.FAILURE, started.plusSeconds(180), "{}"))
        .isTrue();
    // A second end of the same run changes nothing, and is not heard again.
    assertThat(runs.finished("r1", RunRecord.RunStatus.SUCCESS, started.plusSeconds(200), "{}"))
        .isFalse();

    assertThat(heard)
        .singleElement()
        .satisfies(
            run -> {
              assertThat(run.status()).isEqualTo(RunRecord.RunStatus.FAILURE);
              assertThat(run.finished()).contains(started.plusSeconds(180));
            });
    Timer failures = meters.get("tagflow.pipeline.run").tag("result", "failure").timer();
    assertThat(failures.count()).isEqualTo(1);
    assertThat(failures.totalTime(TimeUnit.SECONDS)).isEqualTo(180.0);
    assertThat(store.runs().get("r1").orElseThrow().status())
        .isEqualTo(RunRecord.RunStatus.FAILURE);
  }

  @Test
  void aNewPromotionRequestIsHeardWithItsId() {
    List<PromotionRecord> heard = new CopyOnWriteArrayList<>();
    ObservedPromotions promotions = new ObservedPromotions(store.promotions(), List.of(heard::add));

    PromotionRecord created =
        promotions.create(
            PromotionDrafts.web123(
                "http://127.0.0.1:7070/git/acme/environments.git", 1, List.of()));

    assertThat(heard).containsExactly(created);
    assertThat(promotions.get(created.id())).contains(created);
    assertThat(created.state()).isEqualTo(PromotionRecord.PromotionState.PENDING);
  }
}
