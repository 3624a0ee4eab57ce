package dev.tagflow.server.rbac;

import dev.tagflow.app.Application;
import dev.tagflow.store.PromotionRecord;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one rule for an application's environment and the permission objects built on it: the board,
 * the API, the application, charts and releases pages and the RBAC checks all ask here, so an
 * application visible on the board is visible on its page and the reverse.
 *
 * <p>The environment is the first of: the {@value #LABEL} label; the {@code environment} label,
 * else the {@code env} label (what the board read first, so existing boards keep their columns);
 * the folder after {@code environments/} in the source path; the destination namespace. A blank
 * label counts as no label.
 */
public final class ApplicationEnvironment {

  /** The label that names an application's environment, before any other source. */
  public static final String LABEL = "tagflow.dev/environment";

  /** The labels read, in this order: {@value #LABEL}, then the board's short ones. */
  public static final List<String> LABELS = List.of(LABEL, "environment", "env");

  /** The project of a promotion that no registered application explains: only {@code *} matches. */
  public static final String NO_PROJECT = "-";

  private ApplicationEnvironment() {}

  /** The application's environment, by the rule above. */
  public static String of(Application application) {
    Map<String, String> labels = application.metadata().labels();
    for (String key : LABELS) {
      String label = labels.get(key);
      if (label != null && !label.isBlank()) {
        return label;
      }
    }
    String[] parts = application.source().path().split("/");
    for (int i = 0; i + 1 < parts.length; i++) {
      if (parts[i].equals("environments") && !parts[i + 1].isBlank()) {
        return parts[i + 1];
      }
    }
    return application.destination().namespace();
  }

  /** The permission object of an application: {@code project/environment/application}. */
  public static String objectOf(Application application) {
    return application.project() + "/" + of(application) + "/" + application.name();
  }

  /**
   * The application a promotion request moves: the registered one in the request's environment
   * reading the request's repository, the first by name when several do.
   */
  public static Optional<Application> applicationOf(
      PromotionRecord request, Collection<Application> applications) {
    String environment = request.draft().environment();
    return applications.stream()
        .filter(app -> of(app).equals(environment))
        .filter(app -> sameRepository(request.draft().repository(), app.source().repoURL()))
        .min(Comparator.comparing(Application::name));
  }

  /**
   * The permission object of a promotion request: {@code project/environment/release}, with the
   * project of {@link #applicationOf its application}, else {@value #NO_PROJECT}.
   */
  public static String objectOf(PromotionRecord request, Collection<Application> applications) {
    String project =
        applicationOf(request, applications).map(Application::project).orElse(NO_PROJECT);
    return project + "/" + request.draft().environment() + "/" + request.draft().release();
  }

  /** A promotion names its repository by URL or by name; either matches the application's. */
  public static boolean sameRepository(String promoted, String repoUrl) {
    String trimmed = repoUrl.replaceAll("(\\.git)?/*$", "");
    return promoted.equals(repoUrl) || promoted.equals(trimmed) || trimmed.endsWith("/" + promoted);
  }
}
