package dev.tagflow.app;

import java.util.List;
import java.util.Objects;

/**
 * An Application: which manifests (a path of a repository at a revision) go to which cluster and
 * namespace, and how Tagflow keeps them in sync. Loaded by {@link ApplicationLoader} from our own
 * YAML or from an Argo CD Application.
 *
 * @param metadata name, labels and annotations
 * @param project the project it belongs to ({@code default} when not given); the project's rules
 *     (for example health rules) apply to it
 * @param source where its manifests come from
 * @param destination where they go
 * @param syncPolicy when and how they are applied
 * @param dependsOn names of applications that must be healthy before this one syncs
 * @param ignoreDifferences fields that do not count as drift
 * @param origin the file, line and dialect it was read from, for messages
 */
public record Application(
    ApplicationMetadata metadata,
    String project,
    ApplicationSource source,
    Destination destination,
    SyncPolicy syncPolicy,
    List<String> dependsOn,
    List<IgnoreDifference> ignoreDifferences,
    Origin origin) {

  public Application {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(syncPolicy, "syncPolicy");
    dependsOn = List.copyOf(dependsOn);
    ignoreDifferences = List.copyOf(ignoreDifferences);
    Objects.requireNonNull(origin, "origin");
  }

  /** The application's name, unique among the applications Tagflow manages. */
  public String name() {
    return metadata.name();
  }

  /**
   * Where an application was read from.
   *
   * @param file the file as named to the loader
   * @param line the 1-based line of the document's first key
   * @param dialect whose Application format the document used
   */
  public record Origin(String file, int line, Dialect dialect) {
    public Origin {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(dialect, "dialect");
    }

    @Override
    public String toString() {
      return file + ":" + line;
    }
  }
}
