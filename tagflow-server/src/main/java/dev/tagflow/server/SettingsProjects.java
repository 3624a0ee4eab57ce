package dev.tagflow.server;

import dev.tagflow.app.Application;
import dev.tagflow.health.HealthRule;
import dev.tagflow.reconcile.ProjectPolicy;
import dev.tagflow.schedule.SyncWindow;
import dev.tagflow.server.config.ServerSettings;
import java.util.List;
import java.util.Optional;

/**
 * The projects of the server's settings as the controller enforces them: an application may put
 * objects only in the namespaces and clusters its project's {@code destinations} match, and its
 * objects are judged with the project's {@code healthRules}. A project the settings do not define
 * is refused, except {@code default}, which may target everything (as Argo CD's). Its {@code
 * syncWindows} say when its applications may sync.
 */
final class SettingsProjects implements ProjectPolicy {

  private final ServerSettings settings;
  private final String file;

  /**
   * @param file the settings file, named in refusals so a person knows where to allow more
   */
  SettingsProjects(ServerSettings settings, String file) {
    this.settings = settings;
    this.file = file;
  }

  @Override
  public Optional<String> refusal(Application application, String cluster, String namespace) {
    Optional<ServerSettings.Project> project = settings.project(application.project());
    if (project.isEmpty()) {
      return Optional.of(
          "Application '"
              + application.name()
              + "' belongs to project '"
              + application.project()
              + "', which "
              + file
              + " does not define (projects: "
              + String.join(
                  ", ", settings.projects().stream().map(ServerSettings.Project::name).toList())
              + "); nothing is applied until the project exists or spec.project names another");
    }
    if (project.get().permits(cluster, namespace)) {
      return Optional.empty();
    }
    return Optional.of(
        "project '"
            + application.project()
            + "' does not let its applications put objects in "
            + (namespace.isEmpty() ? "no namespace" : "namespace '" + namespace + "'")
            + " of cluster '"
            + cluster
            + "' (it allows "
            + String.join(
                ", ",
                project.get().destinations().stream()
                    .map(d -> d.cluster() + "/" + d.namespace())
                    .toList())
            + "); nothing is applied. Change the Application's destination, or add the"
            + " namespace to the project's destinations in "
            + file);
  }

  @Override
  public List<SyncWindow.Scoped> syncWindows(String project) {
    return settings.project(project).map(ServerSettings.Project::syncWindows).orElse(List.of());
  }

  @Override
  public List<HealthRule> healthRules(String project) {
    return settings.project(project).map(ServerSettings.Project::healthRules).orElse(List.of());
  }
}
