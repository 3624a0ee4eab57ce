package dev.tagflow.reconcile;

import dev.tagflow.app.Application;
import dev.tagflow.health.Health;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code dependsOn}: an application syncs only once each application it depends on is Synced and
 * Healthy with no sync running, as Flux's {@code dependsOn} waits for Ready. What blocks it is said
 * by name and why, for the status.
 */
final class Dependencies {

  private final ApplicationStatuses statuses;

  Dependencies(ApplicationStatuses statuses) {
    this.statuses = statuses;
  }

  /**
   * Why the application must wait, naming each dependency that is not ready.
   *
   * @return empty when every dependency is ready (or there are none)
   */
  Optional<String> blocking(Application application) {
    List<String> waits = new ArrayList<>();
    for (String name : application.dependsOn()) {
      Optional<ApplicationStatus> status = statuses.get(name);
      if (status.isEmpty()) {
        waits.add("'" + name + "' is not an application Tagflow runs");
      } else if (!status.get().isReady()) {
        waits.add("'" + name + "' is " + describe(status.get()));
      }
    }
    return waits.isEmpty()
        ? Optional.empty()
        : Optional.of("waits for " + String.join("; ", waits));
  }

  private static String describe(ApplicationStatus status) {
    if (status.operation().filter(o -> !o.phase().isFinal()).isPresent()) {
      String message = status.operation().get().message();
      return "syncing" + (message.isEmpty() ? "" : " (" + message + ")");
    }
    if (!status.isSynced()) {
      return status.sync().status().displayName()
          + status.conditions().stream()
              .filter(c -> c.severity() == ApplicationStatus.Severity.ERROR)
              .findFirst()
              .map(c -> " (" + c.reason() + ": " + c.message() + ")")
              .orElse("");
    }
    Health health = status.health().health();
    return "Synced and "
        + health.displayName()
        + (status.health().message().isEmpty() ? "" : " (" + status.health().message() + ")");
  }
}
