package dev.tagflow.render;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationSource;
import dev.tagflow.app.SourceType;
import dev.tagflow.yaml.YamlOutput;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * What to render: a path of a repository at a revision, read as a directory of manifests, a Helm
 * chart or a Kustomize overlay. The renderer's own input, so it does not depend on how Applications
 * are written; the application model maps onto it.
 *
 * @param application the name used in log lines and error messages (an Application's name)
 * @param repoURL the repository holding {@code path}
 * @param path the directory in the repository, relative to its root ({@code ""} for the root)
 * @param targetRevision the revision as written (the caller resolves it into a {@code Revision})
 * @param kind how to read the path
 */
public record RenderSource(
    String application, String repoURL, String path, String targetRevision, SourceKind kind) {

  public RenderSource {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(repoURL, "repoURL");
    path = path == null ? "" : path;
    targetRevision = targetRevision == null ? "HEAD" : targetRevision;
    Objects.requireNonNull(kind, "kind");
  }

  /** What an Application asks to render: its source, named by the application. */
  public static RenderSource of(Application application) {
    ApplicationSource source = application.source();
    return new RenderSource(
        application.name(),
        source.repoURL(),
        source.path(),
        source.targetRevision(),
        kindOf(source));
  }

  private static SourceKind kindOf(ApplicationSource source) {
    return switch (source.type()) {
      case SourceType.Detect detect -> new SourceKind.Detect();
      case SourceType.Directory d ->
          new SourceKind.Directory(d.recurse(), d.include(), d.exclude());
      case SourceType.Kustomize k -> new SourceKind.Kustomize();
      case SourceType.Helm helm ->
          new SourceKind.Helm(
              helm.chart()
                  .map(
                      chart ->
                          new ChartRef(
                              chart.repoURL().orElse(source.repoURL()),
                              chart.path(),
                              chart.targetRevision().orElse(source.targetRevision()))),
              helm.valueFiles(),
              helm.values().isEmpty() ? Optional.empty() : Optional.of(yaml(helm.values())),
              helm.parameters().stream()
                  .map(p -> new SourceKind.HelmParameter(p.name(), p.value(), p.forceString()))
                  .toList(),
              helm.releaseName());
    };
  }

  /** Values as Helm reads them; Jackson 3 mappers are immutable, so one serves every render. */
  private static final ObjectMapper YAML = YamlOutput.builder().build();

  private static String yaml(Object values) {
    try {
      return YAML.writeValueAsString(values);
    } catch (JacksonException e) {
      throw new IllegalStateException("values loaded from YAML can be written as YAML", e);
    }
  }

  /**
   * A path named relative to a directory of the repository ({@code ../common/values.yaml} from
   * {@code envs/prod}), from the repository's root.
   *
   * @throws TagflowException (INVALID_INPUT) when it is absolute or leads outside the repository
   */
  String resolve(String directory, String relative) {
    if (relative.startsWith("/")) {
      throw TagflowException.invalidInput(
          "'"
              + relative
              + "' in "
              + application
              + " is absolute; give it relative to "
              + shownPath());
    }
    Deque<String> parts = new ArrayDeque<>();
    for (String part : (directory + "/" + relative).split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw TagflowException.invalidInput(
              "'" + relative + "' in " + application + " leads outside the repository " + repoURL);
        }
        parts.removeLast();
      } else {
        parts.addLast(part);
      }
    }
    return String.join("/", parts);
  }

  /** The path as shown to people: {@code .} for the repository's root. */
  public String shownPath() {
    return path.isEmpty() || path.equals(".") ? "." : path;
  }
}
