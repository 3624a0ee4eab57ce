package dev.tagflow.reconcile;

import dev.tagflow.app.Application;
import dev.tagflow.health.HealthRule;
import dev.tagflow.schedule.SyncWindow;
import java.util.List;
import java.util.Optional;

/**
 * What an application's project lets it do: which namespaces of which clusters it may put objects
 * in, and the health rules its objects are judged by besides the built-in checks. An application
 * whose destination, or one of whose rendered objects, the project refuses gets a {@code
 * ProjectDenied} condition and nothing is applied (as Argo CD's AppProject destinations). Its sync
 * windows say when its applications may sync.
 */
public interface ProjectPolicy {

  /**
   * Why the application's project does not let it put objects in that namespace of that cluster.
   *
   * @param cluster the destination cluster's name ({@code local} for the current context)
   * @param namespace a namespace the application would write to
   * @return the refusal, saying how to fix it; empty when it may
   */
  Optional<String> refusal(Application application, String cluster, String namespace);

  /** The project's own health rules, for kinds Tagflow has no check for. */
  List<HealthRule> healthRules(String project);

  /**
   * The project's sync windows, each with the applications, namespaces and clusters it applies to;
   * none by default.
   */
  default List<SyncWindow.Scoped> syncWindows(String project) {
    return List.of();
  }

  /** Every application may target everything, with the built-in health checks only. */
  static ProjectPolicy permitAll() {
    return new ProjectPolicy() {
      @Override
      public Optional<String> refusal(Application application, String cluster, String namespace) {
        return Optional.empty();
      }

      @Override
      public List<HealthRule> healthRules(String project) {
        return List.of();
      }
    };
  }
}
