package dev.tagflow.render;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How a source's path is turned into manifests. */
public sealed interface SourceKind {

  /**
   * Plain manifests: YAML and JSON files.
   *
   * @param recurse whether files in subdirectories count too
   * @param include a glob matched against each file's path relative to the source's path (empty for
   *     every file); {@code *} stays within a directory, {@code **} crosses them, {@code {a,b}} is
   *     either
   * @param exclude a glob of files to leave out, checked after {@code include}
   */
  record Directory(boolean recurse, Optional<String> include, Optional<String> exclude)
      implements SourceKind {
    public Directory {
      Objects.requireNonNull(include, "include");
      Objects.requireNonNull(exclude, "exclude");
    }

    /** Every YAML and JSON file directly in the path. */
    public static Directory plain() {
      return new Directory(false, Optional.empty(), Optional.empty());
    }
  }

  /**
   * A Helm chart, rendered by the Helm engine as {@code helm template} would.
   *
   * @param chart where the chart is when it is not the source's path itself (another path of the
   *     same repository, or another repository at its own revision)
   * @param valueFiles values files relative to the source's path, layered in this order over the
   *     chart's own {@code values.yaml}
   * @param values inline values as YAML, layered over every values file
   * @param parameters single values set by name, as {@code helm --set}, layered last
   * @param releaseName the release name ({@code .Release.Name}); the application's name when empty
   */
  record Helm(
      Optional<ChartRef> chart,
      List<String> valueFiles,
      Optional<String> values,
      List<HelmParameter> parameters,
      Optional<String> releaseName)
      implements SourceKind {
    public Helm {
      Objects.requireNonNull(chart, "chart");
      valueFiles = List.copyOf(valueFiles);
      Objects.requireNonNull(values, "values");
      parameters = List.copyOf(parameters);
      Objects.requireNonNull(releaseName, "releaseName");
    }

    /** Without parameters. */
    public Helm(
        Optional<ChartRef> chart,
        List<String> valueFiles,
        Optional<String> values,
        Optional<String> releaseName) {
      this(chart, valueFiles, values, List.of(), releaseName);
    }

    /** The chart at the source's path, with its own values only. */
    public static Helm ofChart() {
      return new Helm(Optional.empty(), List.of(), Optional.empty(), Optional.empty());
    }
  }

  /**
   * A Kustomize overlay: the path holds a kustomization file, built by {@code kubectl kustomize}.
   */
  record Kustomize() implements SourceKind {}

  /**
   * Not said: decided by the files at the path at the revision rendered, as Argo CD does ({@code
   * Chart.yaml}: Helm; a kustomization file: Kustomize; else plain manifests).
   */
  record Detect() implements SourceKind {}

  /**
   * One Helm value set by its dotted name ({@code image.tag=1.2.3}), as {@code helm --set}; with
   * {@code forceString} as {@code helm --set-string}, so {@code "true"} or {@code "1"} stay
   * strings.
   */
  record HelmParameter(String name, String value, boolean forceString) {
    public HelmParameter {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }
}
