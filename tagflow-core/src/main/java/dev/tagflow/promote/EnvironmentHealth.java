package dev.tagflow.promote;

import dev.tagflow.health.Health;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.ApplicationStatuses;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.SyncHistory;
import dev.tagflow.store.SyncResult;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Where an application was Healthy: the commits of the environment repository it ran while Healthy,
 * newest first. The writer reads the environment's values at those commits to tell whether an
 * environment ran a release well before the next one takes it.
 */
@FunctionalInterface
public interface EnvironmentHealth {

  /** The commits the application was Healthy at, newest first; empty when it never was. */
  List<String> healthyCommits(String application);

  /** No application was ever seen Healthy: an environment that must come after another refuses. */
  static EnvironmentHealth unknown() {
    return application -> List.of();
  }

  /**
   * From the running controller: the commit it runs now when it is Synced and Healthy, then the
   * commits of its recorded syncs that succeeded and were Healthy afterwards.
   */
  static EnvironmentHealth of(ApplicationStatuses statuses) {
    return application -> {
      Set<String> commits = new LinkedHashSet<>();
      statuses
          .get(application)
          .filter(ApplicationStatus::isReady)
          .flatMap(ApplicationStatus::deployed)
          .ifPresent(deployed -> commits.add(deployed.revision().commit()));
      commits.addAll(healthyInHistory(statuses::history).apply(application));
      return List.copyOf(commits);
    };
  }

  /** From the stored sync history, when no controller runs (the local CLI). */
  static EnvironmentHealth of(SyncHistory history) {
    return application -> healthyInHistory(history::list).apply(application);
  }

  private static Function<String, List<String>> healthyInHistory(
      Function<String, List<HistoryEntry>> history) {
    return application ->
        history.apply(application).stream()
            .filter(e -> e.sync().result() == SyncResult.SUCCEEDED)
            .filter(
                e ->
                    e.sync().healthAfter().filter(Health.HEALTHY.displayName()::equals).isPresent())
            .map(e -> e.sync().commit())
            .distinct()
            .toList();
  }
}
