package dev.tagflow.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.store.BuiltImage;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.ReleaseStore;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.SyncRecord;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.SyncTrigger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChartsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void leadTimeRunsFromTheTagsRunToTheApplicationHealthyWithItsImage() {
    BuiltImage image =
        new BuiltImage(
            "run-1",
            "git/app",
            "refs/tags/v1.2.3",
            "abc",
            "reg/web",
            "sha256:1",
            List.of("1.2.3"),
            T0);
    RunRecord run =
        new RunRecord(
            "run-1",
            "git/app",
            "w.yml",
            "refs/tags/v1.2.3",
            "abc",
            "push",
            RunRecord.RunStatus.SUCCESS,
            T0,
            Optional.of(T0.plusSeconds(60)),
            "log",
            Optional.empty());
    Charts charts =
        Charts.of(
            List.of(image),
            id -> id.equals("run-1") ? Optional.of(run) : Optional.empty(),
            digest ->
                List.of(
                    new ReleaseStore.Deployment("web-dev", "r1", T0.plusSeconds(150)),
                    new ReleaseStore.Deployment("web-production", "r1", T0.plusSeconds(3600))),
            Map.of("web-dev", "dev", "web-production", "production")::get,
            List.of());
    assertThat(charts.leadTimes())
        .extracting(Charts.LeadTime::environment, Charts.LeadTime::tag, Charts.LeadTime::minutes)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dev", "v1.2.3", "2.5"),
            org.assertj.core.groups.Tuple.tuple("production", "v1.2.3", "60.0"));
  }

  @Test
  void syncDurationsAndDeploymentsPerDayCountEndedSyncsOnlySuccessfulOnesAsDeployments() {
    List<Charts.Sync> syncs =
        List.of(
            sync("production", "web-production", 1, SyncResult.SUCCEEDED, T0, 30),
            sync("dev", "web-dev", 2, SyncResult.SUCCEEDED, T0.plusSeconds(10), 5),
            sync("dev", "web-dev", 3, SyncResult.FAILED, T0.plus(Duration.ofDays(1)), 7),
            sync("dev", "web-dev", 4, SyncResult.SUCCEEDED, T0.plus(Duration.ofDays(1)), 4),
            new Charts.Sync(
                "dev",
                new HistoryEntry(
                    "web-dev",
                    5,
                    SyncRecord.started("c", "main", "h", SyncTrigger.AUTOMATION, T0))));
    Charts charts = Charts.of(List.of(), id -> Optional.empty(), d -> List.of(), a -> "?", syncs);
    assertThat(charts.syncTimes()).hasSize(4);
    assertThat(charts.syncTimes().getFirst().seconds()).isEqualTo("30.0");
    assertThat(charts.perDay().environments()).containsExactly("dev", "production");
    assertThat(charts.perDay().days())
        .containsExactly(
            new Charts.Day(LocalDate.parse("2026-03-01"), List.of(1, 1)),
            new Charts.Day(LocalDate.parse("2026-03-02"), List.of(1, 0)));
  }

  private static Charts.Sync sync(
      String env, String app, long id, SyncResult result, Instant start, int seconds) {
    SyncRecord record =
        SyncRecord.started("c", "main", "h", SyncTrigger.AUTOMATION, start)
            .finished(result, "[]", "", start.plusSeconds(seconds));
    return new Charts.Sync(env, new HistoryEntry(app, id, record));
  }
}
