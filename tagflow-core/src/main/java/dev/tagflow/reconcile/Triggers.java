package dev.tagflow.reconcile;

import dev.tagflow.UrlRedaction;
import dev.tagflow.app.Application;
import dev.tagflow.app.SourceType;
import dev.tagflow.diff.Tracking;
import dev.tagflow.source.RefChanged;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Locale;
import java.util.Optional;

/**
 * Which application an event is about: a ref change concerns the applications that read its
 * repository (their source or their chart), an object's change the application whose tracking id it
 * carries.
 */
final class Triggers {

  private Triggers() {}

  /** Whether the application reads the repository that ref change is about. */
  static boolean reads(Application application, RefChanged change) {
    String changed = key(change.repository());
    if (key(application.source().repoURL()).equals(changed)) {
      return true;
    }
    return application.source().type() instanceof SourceType.Helm helm
        && helm.chart()
            .flatMap(c -> c.repoURL())
            .map(Triggers::key)
            .filter(changed::equals)
            .isPresent();
  }

  /** The application an object belongs to, by its tracking id. */
  static Optional<String> owner(HasMetadata object) {
    return object.getMetadata() == null ? Optional.empty() : Tracking.trackedBy(object);
  }

  /**
   * A repository URL as repositories are told apart: without credentials (as the mirrors key them),
   * without a trailing slash or {@code .git}, the scheme and host in lower case.
   */
  static String key(String url) {
    String plain = UrlRedaction.redact(url.strip());
    while (plain.endsWith("/")) {
      plain = plain.substring(0, plain.length() - 1);
    }
    if (plain.endsWith(".git")) {
      plain = plain.substring(0, plain.length() - 4);
    }
    int scheme = plain.indexOf("://");
    if (scheme > 0) {
      int pathStart = plain.indexOf('/', scheme + 3);
      String authority = pathStart < 0 ? plain : plain.substring(0, pathStart);
      String path = pathStart < 0 ? "" : plain.substring(pathStart);
      plain = authority.toLowerCase(Locale.ROOT) + path;
    }
    return plain;
  }
}
