package dev.tagflow.promote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationRegistry;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.ApplicationStatus.Automation;
import dev.tagflow.reconcile.ApplicationStatus.Deployed;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.reconcile.ApplicationStatus.Sync;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.reconcile.ApplicationStatuses;
import dev.tagflow.reconcile.ApplicationStatuses.Lineage;
import dev.tagflow.reconcile.StatusChange;
import dev.tagflow.store.Event;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.SyncRecord;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.SyncTrigger;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Where an application was Healthy, as the controller's statuses and history tell it. */
class EnvironmentHealthTest {

  private static final String NOW = "a".repeat(40);
  private static final String EARLIER = "b".repeat(40);
  private static final String FAILED = "c".repeat(40);
  private static final String DEGRADED = "d".repeat(40);

  private final Map<String, ApplicationStatus> statuses = new HashMap<>();
  private final Map<String, List<HistoryEntry>> history = new HashMap<>();

  /** Statuses and history a test sets by hand, in the controller's own types. */
  private final class Known implements ApplicationStatuses {
    @Override
    public Optional<ApplicationStatus> get(String application) {
      return Optional.ofNullable(statuses.get(application));
    }

    @Override
    public List<ApplicationStatus> list() {
      return List.copyOf(statuses.values());
    }

    @Override
    public List<Event> events(String application, int limit) {
      return List.of();
    }

    @Override
    public List<HistoryEntry> history(String application) {
      return history.getOrDefault(application, List.of());
    }

    @Override
    public List<ApplicationRegistry.SourceProblem> problems() {
      return List.of();
    }

    @Override
    public Optional<Lineage> lineage(String application) {
      return Optional.empty();
    }

    @Override
    public Subscription subscribe(Consumer<StatusChange> listener) {
      return () -> {};
    }
  }

  private static ApplicationStatus running(String commit, HealthStatus health) {
    GitRevision revision = new GitRevision("main", commit);
    return ApplicationStatus.unknown("web-staging", Automation.of(true, false))
        .withSync(new Sync(SyncCode.SYNCED, Optional.of(revision)))
        .withDeployed(Optional.of(new Deployed(revision, "key", Optional.empty(), Instant.EPOCH)))
        .withHealth(health);
  }

  private static HistoryEntry entry(long id, String commit, SyncResult result, String health) {
    return new HistoryEntry(
        "web-staging",
        id,
        SyncRecord.started(commit, "main", "e".repeat(64), SyncTrigger.AUTOMATION, Instant.EPOCH)
            .finished(result, "[]", "", Instant.EPOCH)
            .withHealthAfter(health));
  }

  @Test
  void theCommitRunningHealthyNowComesFirstThenHealthySyncsOfTheHistory() {
    statuses.put("web-staging", running(NOW, HealthStatus.healthy("")));
    history.put(
        "web-staging",
        List.of(
            entry(4, NOW, SyncResult.SUCCEEDED, "Healthy"),
            entry(3, DEGRADED, SyncResult.SUCCEEDED, "Degraded"),
            entry(2, FAILED, SyncResult.FAILED, "Healthy"),
            entry(1, EARLIER, SyncResult.SUCCEEDED, "Healthy")));

    assertThat(EnvironmentHealth.of(new Known()).healthyCommits("web-staging"))
        .containsExactly(NOW, EARLIER);
  }

  @Test
  void anApplicationNotHealthyNowCountsOnlyItsHistory() {
    statuses.put("web-staging", running(NOW, HealthStatus.progressing("rolling out")));
    history.put("web-staging", List.of(entry(1, EARLIER, SyncResult.SUCCEEDED, "Healthy")));

    assertThat(EnvironmentHealth.of(new Known()).healthyCommits("web-staging"))
        .containsExactly(EARLIER);
    assertThat(EnvironmentHealth.of(new Known()).healthyCommits("unknown-app")).isEmpty();
    assertThat(EnvironmentHealth.unknown().healthyCommits("web-staging")).isEmpty();
  }
}
