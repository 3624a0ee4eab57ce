package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus.Automation;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.reconcile.ApplicationStatus.Sync;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.store.Event;
import dev.tagflow.store.HistoryEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DependenciesTest {

  private final Map<String, ApplicationStatus> known = new HashMap<>();
  private final Dependencies dependencies = new Dependencies(new Known());

  /** Statuses a test sets by hand. */
  private final class Known implements ApplicationStatuses {
    @Override
    public Optional<ApplicationStatus> get(String application) {
      return Optional.ofNullable(known.get(application));
    }

    @Override
    public List<ApplicationStatus> list() {
      return List.copyOf(known.values());
    }

    @Override
    public List<Event> events(String application, int limit) {
      return List.of();
    }

    @Override
    public List<HistoryEntry> history(String application) {
      return List.of();
    }

    @Override
    public Optional<Lineage> lineage(String application) {
      return Optional.ofNullable(known.get(application))
          .map(status -> new Lineage("test", Optional.empty(), List.of()));
    }

    @Override
    public List<ApplicationRegistry.SourceProblem> problems() {
      return List.of();
    }

    @Override
    public Subscription subscribe(Consumer<StatusChange> listener) {
      return () -> {};
    }
  }

  private void set(String name, SyncCode code, HealthStatus health) {
    known.put(
        name,
        ApplicationStatus.unknown(name, Automation.of(true, false))
            .withSync(new Sync(code, Optional.of(new GitRevision("main", "a".repeat(40)))))
            .withHealth(health));
  }

  private Optional<String> blocking(String... dependsOn) {
    return dependencies.blocking(
        Apps.app(
            "front",
            "https://git.example.com/acme/env.git",
            "dependsOn: [" + String.join(", ", dependsOn) + "]"));
  }

  @Test
  void readyDependenciesBlockNothing() {
    set("db", SyncCode.SYNCED, HealthStatus.healthy(""));

    assertThat(blocking("db")).isEmpty();
  }

  @Test
  void eachDependencyNotReadyIsNamedWithWhy() {
    set("db", SyncCode.SYNCED, HealthStatus.progressing("Deployment shop/db: 0/1 available"));
    set("cache", SyncCode.OUT_OF_SYNC, HealthStatus.healthy(""));

    assertThat(blocking("db", "cache", "queue"))
        .contains(
            "waits for 'db' is Synced and Progressing (Deployment shop/db: 0/1 available);"
                + " 'cache' is OutOfSync; 'queue' is not an application Tagflow runs");
  }
}
