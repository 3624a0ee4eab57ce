package dev.tagflow.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a source's path is read: a directory of manifests, a Helm chart or a Kustomize overlay, or,
 * when the Application does not say, detected from the files at the path.
 */
public sealed interface SourceType {

  /**
   * Not given in the Application: decided by the files at the path, as Argo CD does — a {@code
   * Chart.yaml} means Helm, a {@code kustomization.yaml} (or {@code .yml}, or {@code
   * Kustomization}) means Kustomize, anything else a plain directory.
   */
  record Detect() implements SourceType {}

  /**
   * Plain YAML/JSON manifests.
   *
   * @param recurse whether subdirectories count too
   * @param include a glob of files to read, empty for all
   * @param exclude a glob of files to leave out
   */
  record Directory(boolean recurse, Optional<String> include, Optional<String> exclude)
      implements SourceType {
    public Directory {
      Objects.requireNonNull(include, "include");
      Objects.requireNonNull(exclude, "exclude");
    }

    /** Every manifest directly in the path: what a source without a type means. */
    public static Directory plain() {
      return new Directory(false, Optional.empty(), Optional.empty());
    }
  }

  /**
   * A Helm chart.
   *
   * @param chart the chart when it is not the source's path (another path or repository)
   * @param valueFiles values files relative to the source's path, layered in order
   * @param values inline values, layered over the files
   * @param parameters single values set by name ({@code image.tag=1.2.3}), layered last
   * @param releaseName the release name; the application's name when empty
   */
  record Helm(
      Optional<ChartRef> chart,
      List<String> valueFiles,
      Map<String, Object> values,
      List<HelmParameter> parameters,
      Optional<String> releaseName)
      implements SourceType {
    public Helm {
      Objects.requireNonNull(chart, "chart");
      valueFiles = List.copyOf(valueFiles);
      // Not Map.copyOf: values may hold nulls (YAML's ~), which Helm reads as "unset".
      values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
      parameters = List.copyOf(parameters);
      Objects.requireNonNull(releaseName, "releaseName");
    }
  }

  /** A Kustomize overlay: the path holds a kustomization file. */
  record Kustomize() implements SourceType {}

  /**
   * A chart in another place than the source's path.
   *
   * @param repoURL the chart's repository; the source's when empty
   * @param path the chart's directory in that repository
   * @param targetRevision the revision of that repository; the source's when empty
   */
  record ChartRef(Optional<String> repoURL, String path, Optional<String> targetRevision) {
    public ChartRef {
      Objects.requireNonNull(repoURL, "repoURL");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(targetRevision, "targetRevision");
    }
  }

  /**
   * One Helm value set by its dotted name, as {@code helm --set} (or {@code --set-string} when
   * {@code forceString}) does.
   */
  record HelmParameter(String name, String value, boolean forceString) {
    public HelmParameter {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }
}
