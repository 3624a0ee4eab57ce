package dev.tagflow.app;

import dev.tagflow.app.SourceType.ChartRef;
import dev.tagflow.app.SourceType.HelmParameter;
import dev.tagflow.source.SemVerRange;
import dev.tagflow.yaml.YamlComposer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/** Reads a source (repository, revision, path, and how to read it) in either dialect. */
final class SourceReader {

  private static final List<String> TYPES = List.of("directory", "helm", "kustomize");

  /** Characters no Git ref name may hold but a version range does: such a revision is a range. */
  private static final String RANGE_MARKS = " ^~*<>|";

  private final Dialect dialect;
  private final Problems problems;
  private final YamlComposer yaml;

  SourceReader(Dialect dialect, Problems problems, YamlComposer yaml) {
    this.dialect = dialect;
    this.problems = problems;
    this.yaml = yaml;
  }

  Optional<ApplicationSource> read(YamlMapping s) {
    Optional<String> repoURL =
        s.requiredString("repoURL", "http://127.0.0.1:7070/git/environments.git");
    String revision = s.string("targetRevision", "HEAD").strip();
    checkRevision(s, revision);
    String path = s.string("path", "");
    if (RepoPath.escapes("", path)) {
      problems.add(
          s.valueMark("path"),
          s.child("path")
              + " '"
              + path
              + "' must be relative to the repository's root and stay"
              + " inside it (e.g. environments/production)");
    }
    List<String> given = TYPES.stream().filter(s::has).toList();
    if (given.size() > 1) {
      problems.add(
          s.keyMark(given.get(1)),
          s.path()
              + " gives "
              + String.join(" and ", given)
              + "; choose one of directory, helm,"
              + " kustomize");
    }
    SourceType type =
        given.isEmpty()
            ? new SourceType.Detect()
            : switch (given.getFirst()) {
              case "helm" -> s.mapping("helm").map(h -> helm(h, path)).orElse(null);
              case "kustomize" -> s.mapping("kustomize").map(this::kustomize).orElse(null);
              default -> s.mapping("directory").map(this::directory).orElse(null);
            };
    List<String> allowed =
        List.of("repoURL", "targetRevision", "path", "directory", "helm", "kustomize");
    s.finish(
        allowed,
        dialect == Dialect.ARGO_CD
            ? Map.of(
                "chart", "charts from Helm repositories; Tagflow reads charts from Git by path",
                "plugin", "config management plugins",
                "ref", "references between sources serve several sources; Tagflow reads one",
                "name", "names of sources serve several sources; Tagflow reads one")
            : Map.of());
    if (repoURL.isEmpty() || type == null) {
      return Optional.empty();
    }
    return Optional.of(new ApplicationSource(repoURL.get(), revision, path, type));
  }

  private void checkRevision(YamlMapping s, String revision) {
    boolean looksLikeRange = revision.chars().anyMatch(c -> RANGE_MARKS.indexOf(c) >= 0);
    if (looksLikeRange && SemVerRange.tryParse(revision).isEmpty()) {
      problems.add(
          s.valueMark("targetRevision"),
          s.child("targetRevision")
              + " '"
              + revision
              + "' is neither a branch, tag or commit nor a valid semver range (e.g. \">=1.2.0"
              + " <2.0.0\", \"^1.2\", \"1.2.x\")");
    }
  }

  private SourceType directory(YamlMapping d) {
    SourceType.Directory directory =
        new SourceType.Directory(
            d.bool("recurse", false), d.string("include"), d.string("exclude"));
    Map<String, String> unsupported = Map.of();
    if (dialect == Dialect.ARGO_CD) {
      // An empty jsonnet block is what Argo CD's UI writes for every directory source.
      boolean emptyJsonnet = d.mapping("jsonnet").map(j -> j.keys().isEmpty()).orElse(true);
      unsupported = emptyJsonnet ? Map.of() : Map.of("jsonnet", "Jsonnet rendering");
    }
    d.finish(List.of("recurse", "include", "exclude"), unsupported);
    return directory;
  }

  private SourceType kustomize(YamlMapping k) {
    Map<String, String> unsupported = new LinkedHashMap<>();
    if (dialect == Dialect.ARGO_CD) {
      for (String key : k.keys()) {
        unsupported.put(
            key, "Kustomize options of the Application; put them in kustomization.yaml");
      }
    }
    k.finish(List.of(), unsupported);
    return new SourceType.Kustomize();
  }

  private SourceType helm(YamlMapping h, String sourcePath) {
    Optional<ChartRef> chart = Optional.empty();
    List<String> allowed =
        new ArrayList<>(List.of("valueFiles", "values", "parameters", "releaseName"));
    if (dialect == Dialect.TAGFLOW) {
      chart = h.mapping("chart").flatMap(this::chart);
      allowed.add("chart");
    }
    List<String> valueFiles = new ArrayList<>();
    for (YamlMapping.Text file : h.texts("valueFiles")) {
      if (file.value().contains("://")) {
        problems.add(
            file.mark(),
            h.child("valueFiles")
                + ": '"
                + file.value()
                + "' is a URL; values files are read"
                + " from the repository (give a path relative to "
                + shown(sourcePath)
                + ")");
      } else if (RepoPath.escapes(sourcePath, file.value())) {
        problems.add(
            file.mark(),
            h.child("valueFiles")
                + ": '"
                + file.value()
                + "' leaves the repository; give a path"
                + " relative to "
                + shown(sourcePath)
                + " that stays inside it");
      } else {
        valueFiles.add(file.value());
      }
    }
    Map<String, Object> values = new LinkedHashMap<>(values(h, "values"));
    if (dialect == Dialect.ARGO_CD) {
      // As in Argo CD, valuesObject wins over values when both are given.
      values.putAll(values(h, "valuesObject"));
      allowed.add("valuesObject");
      Optional<String> version = h.string("version");
      if (version.isPresent() && !version.get().equals("v3")) {
        problems.unsupported(h.keyMark("version"), h.child("version"), "only Helm v3 exists");
      }
      allowed.add("version");
    }
    List<HelmParameter> parameters = new ArrayList<>();
    for (YamlMapping p : h.mappings("parameters")) {
      Optional<String> name = p.requiredString("name", "image.tag");
      String value = p.string("value", "");
      boolean forceString = p.bool("forceString", false);
      p.finish(List.of("name", "value", "forceString"));
      name.ifPresent(n -> parameters.add(new HelmParameter(n, value, forceString)));
    }
    Optional<String> releaseName = h.string("releaseName");
    releaseName.ifPresent(
        r ->
            ApplicationName.problem(r)
                .or(
                    () ->
                        r.length() > 53
                            ? Optional.of("is " + r.length() + " characters long; Helm allows 53")
                            : Optional.empty())
                .ifPresent(
                    p ->
                        problems.add(
                            h.valueMark("releaseName"), h.child("releaseName") + " " + p)));
    h.finish(allowed, dialect == Dialect.ARGO_CD ? ArgoFields.HELM_UNSUPPORTED : Map.of());
    return new SourceType.Helm(chart, valueFiles, values, parameters, releaseName);
  }

  private Optional<ChartRef> chart(YamlMapping c) {
    Optional<String> path = c.requiredString("path", "charts/web");
    if (path.isPresent() && RepoPath.escapes("", path.get())) {
      problems.add(
          c.valueMark("path"),
          c.child("path")
              + " '"
              + path.get()
              + "' must be relative to the chart repository's root"
              + " and stay inside it (e.g. charts/web)");
    }
    ChartRef ref = new ChartRef(c.string("repoURL"), path.orElse(""), c.string("targetRevision"));
    c.string("targetRevision").ifPresent(r -> checkRevision(c, r));
    c.finish(List.of("repoURL", "path", "targetRevision"));
    return path.map(p -> ref);
  }

  private static String shown(String sourcePath) {
    return sourcePath.isEmpty() ? "the repository's root" : "the source's path " + sourcePath;
  }

  /** Values as a mapping, or, as Argo CD writes them, a block of YAML text. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> values(YamlMapping h, String key) {
    Optional<Node> node = h.value(key);
    if (node.isEmpty()) {
      return Map.of();
    }
    Object value = YamlValues.plain(node.get());
    if (value instanceof String text) {
      try {
        // A block (|) starts on the line after its key; limits count the file's lines.
        Node parsed =
            yaml.composeOne(problems.file(), text, node.get().getStartMark().getLine() + 1);
        value = parsed == null ? Map.of() : YamlValues.plain(parsed);
      } catch (MarkedYAMLException e) {
        // The parser counts lines inside the text; a block (|) starts on the line after the key.
        Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String where =
            at == null
                ? ""
                : " (line "
                    + (node.get().getStartMark().getLine() + 2 + at.getLine())
                    + " of the"
                    + " file)";
        problems.add(
            node.get().getStartMark(),
            h.child(key) + " is not valid YAML" + where + ": " + e.getProblem());
        return Map.of();
      } catch (YAMLException e) {
        problems.add(
            node.get().getStartMark(),
            h.child(key) + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        return Map.of();
      }
    }
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    problems.add(node.get().getStartMark(), h.child(key) + " must be a mapping of values");
    return Map.of();
  }
}
