package dev.tagflow.app;

import dev.tagflow.yaml.YamlComposer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one Application document (after its apiVersion told the dialect) into the model, reporting
 * every problem to {@link Problems} rather than stopping at the first.
 */
final class ApplicationReader {

  private final Dialect dialect;
  private final Problems problems;
  private final YamlComposer yaml;

  /**
   * @param yaml reads the blocks of YAML text a field may hold (Argo CD's helm values)
   */
  ApplicationReader(Dialect dialect, Problems problems, YamlComposer yaml) {
    this.dialect = dialect;
    this.problems = problems;
    this.yaml = yaml;
  }

  /** The application, or empty when a problem was found (and reported). */
  Optional<Application> read(YamlMapping root) {
    root.value("apiVersion");
    root.value("kind");
    if (dialect == Dialect.ARGO_CD) {
      // Written by Argo CD's controller, not by a person: a file exported with kubectl has it.
      root.value("status");
    }
    Optional<ApplicationMetadata> metadata = metadata(root);
    String name = metadata.map(ApplicationMetadata::name).orElse("?");
    Optional<YamlMapping> spec = required(root, "spec");
    Optional<Application> application = spec.flatMap(s -> spec(s, metadata, root));
    root.finish(
        List.of("apiVersion", "kind", "metadata", "spec"),
        dialect == Dialect.ARGO_CD ? ArgoFields.ROOT : Map.of());
    problems.closeUnsupported(root.start(), name);
    return application;
  }

  private String example(String key) {
    return switch (key) {
      case "metadata" -> "metadata: {name: web-production}";
      case "spec" -> "spec: {source: …, destination: …}";
      case "source" -> "source: {repoURL: …, targetRevision: main, path: environments/production}";
      case "destination" ->
          dialect == Dialect.ARGO_CD
              ? "destination: {server: https://kubernetes.default.svc, namespace: web-prod}"
              : "destination: {cluster: local, namespace: web-prod}";
      default -> key + ": …";
    };
  }

  private Optional<ApplicationMetadata> metadata(YamlMapping root) {
    Optional<YamlMapping> meta = required(root, "metadata");
    if (meta.isEmpty()) {
      return Optional.empty();
    }
    YamlMapping m = meta.get();
    Optional<String> name = m.requiredString("name", "web-production");
    name.flatMap(ApplicationName::problem)
        .ifPresent(
            p -> problems.add(m.valueMark("name"), "metadata.name '" + name.get() + "' " + p));
    ApplicationMetadata result =
        new ApplicationMetadata(
            name.orElse("?"),
            m.string("namespace"),
            m.stringMap("labels"),
            m.stringMap("annotations"),
            m.strings("finalizers"));
    m.finish(
        List.of("name", "namespace", "labels", "annotations", "finalizers"),
        dialect == Dialect.ARGO_CD ? ArgoFields.METADATA : Map.of());
    return name.map(n -> result);
  }

  private Optional<Application> spec(
      YamlMapping spec, Optional<ApplicationMetadata> metadata, YamlMapping root) {
    String project = spec.string("project", "default");
    Optional<ApplicationSource> source = source(spec);
    Optional<Destination> destination = required(spec, "destination").flatMap(this::destination);
    SyncPolicy syncPolicy =
        spec.mapping("syncPolicy")
            .map(p -> new SyncPolicyReader(dialect, problems).read(p))
            .orElse(SyncPolicy.manual());
    List<IgnoreDifference> ignore =
        spec.mappings("ignoreDifferences").stream()
            .map(this::ignoreDifference)
            .flatMap(Optional::stream)
            .toList();
    List<String> allowed =
        new ArrayList<>(
            List.of("project", "source", "destination", "syncPolicy", "ignoreDifferences"));
    List<String> dependsOn = List.of();
    if (dialect == Dialect.TAGFLOW) {
      dependsOn = dependsOn(spec, metadata.map(ApplicationMetadata::name).orElse(""));
      allowed.add("dependsOn");
    } else {
      allowed.add("sources");
    }
    spec.finish(allowed, dialect == Dialect.ARGO_CD ? ArgoFields.SPEC : Map.of());
    if (metadata.isEmpty() || source.isEmpty() || destination.isEmpty()) {
      return Optional.empty();
    }
    Application.Origin origin =
        new Application.Origin(problems.file(), root.start().getLine() + 1, dialect);
    return Optional.of(
        new Application(
            metadata.get(),
            project,
            source.get(),
            destination.get(),
            syncPolicy,
            dependsOn,
            ignore,
            origin));
  }

  /** {@code source}, or Argo CD's {@code sources} when it holds exactly one. */
  private Optional<ApplicationSource> source(YamlMapping spec) {
    SourceReader reader = new SourceReader(dialect, problems, yaml);
    if (dialect == Dialect.ARGO_CD && spec.has("sources")) {
      List<YamlMapping> sources = spec.mappings("sources");
      if (spec.has("source")) {
        spec.value("source");
        problems.add(spec.keyMark("sources"), "give spec.source or spec.sources, not both");
        return Optional.empty();
      }
      if (sources.size() != 1) {
        problems.unsupported(
            spec.keyMark("sources"),
            "spec.sources",
            "it has " + sources.size() + " entries; Tagflow reads exactly one source");
        return Optional.empty();
      }
      return reader.read(sources.getFirst());
    }
    return required(spec, "source").flatMap(reader::read);
  }

  private Optional<Destination> destination(YamlMapping d) {
    Optional<String> cluster;
    List<String> allowed;
    if (dialect == Dialect.ARGO_CD) {
      Optional<String> server = d.string("server");
      Optional<String> name = d.string("name");
      if (server.isPresent() && name.isPresent()) {
        problems.add(d.keyMark("name"), d.path() + " gives server and name; give one of them");
      } else if (server.isEmpty() && name.isEmpty()) {
        problems.add(
            d.start(),
            "missing required field "
                + d.child("server")
                + " or "
                + d.child("name")
                + " (e.g. server: https://kubernetes.default.svc)");
      }
      cluster = name.or(() -> server);
      allowed = List.of("server", "name", "namespace");
    } else {
      cluster = d.requiredString("cluster", "local");
      allowed = List.of("cluster", "namespace");
    }
    String namespace = d.string("namespace", "");
    if (!namespace.isEmpty()) {
      DnsLabel.problem(namespace)
          .ifPresent(
              p ->
                  problems.add(
                      d.valueMark("namespace"),
                      d.child("namespace") + " '" + namespace + "' " + p));
    }
    d.finish(allowed);
    return cluster.map(c -> new Destination(c, namespace));
  }

  private List<String> dependsOn(YamlMapping spec, String self) {
    List<String> names = new ArrayList<>();
    for (YamlMapping.Text t : spec.texts("dependsOn")) {
      if (t.value().equals(self)) {
        problems.add(t.mark(), "spec.dependsOn: an application cannot depend on itself");
        continue;
      }
      ApplicationName.problem(t.value())
          .ifPresentOrElse(
              p ->
                  problems.add(
                      t.mark(),
                      "spec.dependsOn: '" + t.value() + "' is not an application name: " + p),
              () -> names.add(t.value()));
    }
    return names;
  }

  private Optional<IgnoreDifference> ignoreDifference(YamlMapping i) {
    Optional<String> kind = i.requiredString("kind", "Deployment");
    List<String> pointers = new ArrayList<>();
    for (YamlMapping.Text t : i.texts("jsonPointers")) {
      if (!t.value().isEmpty() && !t.value().startsWith("/")) {
        problems.add(
            t.mark(),
            i.child("jsonPointers")
                + ": '"
                + t.value()
                + "' is not a JSON pointer; they start with '/' (e.g. /spec/replicas)");
      } else {
        pointers.add(t.value());
      }
    }
    List<String> jq = i.strings("jqPathExpressions");
    List<String> managers = i.strings("managedFieldsManagers");
    if (i.keys().stream()
        .noneMatch(
            k ->
                List.of("jsonPointers", "jqPathExpressions", "managedFieldsManagers")
                    .contains(k))) {
      problems.add(
          i.start(),
          i.path()
              + " ignores nothing: give jsonPointers, jqPathExpressions or"
              + " managedFieldsManagers");
    }
    IgnoreDifference result =
        new IgnoreDifference(
            i.string("group", ""),
            kind.orElse(""),
            i.string("name"),
            i.string("namespace"),
            pointers,
            jq,
            managers);
    i.finish(
        List.of(
            "group",
            "kind",
            "name",
            "namespace",
            "jsonPointers",
            "jqPathExpressions",
            "managedFieldsManagers"));
    return kind.map(k -> result);
  }

  private Optional<YamlMapping> required(YamlMapping parent, String key) {
    if (!parent.has(key)) {
      parent.value(key);
      problems.add(
          parent.start(),
          "missing required field " + parent.child(key) + " (e.g. " + example(key) + ")");
      return Optional.empty();
    }
    return parent.mapping(key);
  }
}
