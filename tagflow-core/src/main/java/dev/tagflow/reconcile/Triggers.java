package dev.tagflow.reconcile;

import dev.tagflow.app.Application;
import dev.tagflow.app.SourceType;
import dev.tagflow.diff.Tracking;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RepoKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
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

  /** A repository URL as repositories are told apart ({@link RepoKey}). */
  static String key(String url) {
    return RepoKey.of(url);
  }
}
