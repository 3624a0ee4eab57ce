package dev.tagflow.cli;

import dev.tagflow.DirectoryRemoval;
import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.cluster.ClusterConnections;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.reconcile.DestinationCapabilities;
import dev.tagflow.reconcile.DestinationContext;
import dev.tagflow.render.Capabilities;
import dev.tagflow.render.ChartRef;
import dev.tagflow.render.Manifest;
import dev.tagflow.render.RenderOptions;
import dev.tagflow.render.RenderSource;
import dev.tagflow.render.RenderTarget;
import dev.tagflow.render.Renderer;
import dev.tagflow.render.SourceKind;
import dev.tagflow.source.RepoEntry;
import dev.tagflow.source.Revision;
import dev.tagflow.yaml.YamlLimits;
import dev.tagflow.yaml.YamlOutput;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * {@code tagflow render}: prints the objects Tagflow would apply for the Applications of a file, or
 * for a path of a repository given by flags, at a revision, without touching a cluster.
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Print the objects Tagflow would apply for the Applications of a file, or for a path of a"
          + " repository given with --repo and --path, at a revision.",
      "The path is read as a Helm chart when it holds Chart.yaml (or with --chart-path), as a"
          + " Kustomize overlay when it holds kustomization.yaml, else as plain YAML/JSON files."
    })
final class RenderCommand implements Callable<Integer> {

  /** What {@code render} prints. */
  enum Format {
    yaml,
    json
  }

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;

  /** Capabilities read from clusters, by context ("" for the current one). */
  private final Map<String, Capabilities> clusterCapabilities = new HashMap<>();

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "<application.yaml>",
      description = "A file of Applications (ours or Argo CD's); or give --repo and --path.")
  Path applications;

  @Option(
      names = "--repo",
      paramLabel = "<repo>",
      description = "Repository name (tagflow repo add) or URL.")
  String repo;

  @Option(
      names = "--path",
      defaultValue = ".",
      paramLabel = "<path>",
      description = "Directory in the repository (default: the root).")
  String path;

  @Option(
      names = "--revision",
      paramLabel = "<revision>",
      description = "Branch, tag, commit or version range (default: the Application's, else HEAD).")
  String revision;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "<namespace>",
      description = "Destination namespace (default: the Application's, else default).")
  String namespace;

  @Option(
      names = "--name",
      paramLabel = "<name>",
      description = "Application (and Helm release) name (default: the path's last name).")
  String name;

  @Option(
      names = "--kube-version",
      paramLabel = "<version>",
      description = {
        "Render offline, with this Kubernetes version in .Capabilities and built-in kinds'",
        "scopes. Without it the destination cluster's version, API versions and kinds are read."
      })
  String kubeVersion;

  @Option(
      names = "--kubeconfig",
      paramLabel = "<file>",
      description = "Kubeconfig of the destination (default: $KUBECONFIG, else ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "<context>",
      description = "Kubeconfig context of the destination (default: the Application's cluster).")
  String context;

  @Option(
      names = "--helm-values",
      paramLabel = "<file>",
      description = "Values file relative to --path, layered in order; repeatable.")
  List<String> helmValues = new ArrayList<>();

  @Option(
      names = "--helm-set-file",
      paramLabel = "<file>",
      description = "Inline values: a local YAML file layered over every values file.")
  Path inlineValues;

  @Option(
      names = "--chart-repo",
      paramLabel = "<repo>",
      description = "Repository of the chart when it is not at --path (default: --repo).")
  String chartRepo;

  @Option(
      names = "--chart-path",
      paramLabel = "<path>",
      description = "The chart's directory when it is not --path.")
  String chartPath;

  @Option(
      names = "--chart-revision",
      paramLabel = "<revision>",
      description = "The chart's revision (default: --revision).")
  String chartRevision;

  @Option(names = "--recurse", description = "Plain files: read subdirectories too.")
  boolean recurse;

  @Option(
      names = "--include",
      paramLabel = "<glob>",
      description = "Plain files: only files matching this glob.")
  String include;

  @Option(
      names = "--exclude",
      paramLabel = "<glob>",
      description = "Plain files: leave out files matching this glob.")
  String exclude;

  @Option(
      names = "--kubectl",
      paramLabel = "<path>",
      description =
          "kubectl for Kustomize (default: on the PATH, else the one ./tagflow cluster build made).")
  Path kubectl;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "yaml",
      paramLabel = "<format>",
      description = "yaml or json (default: ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() {
    if ((applications == null) == (repo == null)) {
      throw TagflowException.invalidInput(
          "give either an Application file (tagflow render app.yaml) or --repo and --path");
    }
    Path workDir = dataDir.resolve().resolve("render").resolve(UUID.randomUUID().toString());
    try (RepoContext repos = new RepoContext(dataDir.resolve());
        Renderer renderer =
            new Renderer(
                repos.cache(),
                RenderOptions.defaults(workDir, findKubectl()),
                new SimpleMeterRegistry())) {
      return applications != null
          ? renderApplications(renderer, repos)
          : renderFlags(renderer, repos);
    } finally {
      deleteQuietly(workDir);
    }
  }

  private int renderFlags(Renderer renderer, RepoContext repos) {
    String url = urlOf(repos, repo);
    String wanted = revision == null ? "HEAD" : revision;
    repos.cache().fetch(url);
    if (chartRepo != null) {
      repos.cache().fetch(urlOf(repos, chartRepo));
    }
    Revision resolved = repos.cache().resolve(url, wanted);
    String application = name != null ? name : defaultName(path);
    SourceKind kind = kind(renderer, repos, url, resolved, application, wanted);
    RenderSource source = new RenderSource(application, url, path, wanted, kind);
    print(renderer.render(source, resolved, target(null, Optional.empty())));
    return ExitCode.OK;
  }

  /** Every Application of the file; one that fails is reported and the others still print. */
  private int renderApplications(Renderer renderer, RepoContext repos) {
    List<Application> loaded = new ApplicationLoader().load(applications);
    List<Manifest> all = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Application application : loaded) {
      RenderSource source = RenderSource.of(application);
      if (revision != null) {
        source =
            new RenderSource(
                source.application(), source.repoURL(), source.path(), revision, source.kind());
      }
      try {
        repos.cache().fetch(source.repoURL());
        if (source.kind() instanceof SourceKind.Helm helm && helm.chart().isPresent()) {
          String chartUrl = helm.chart().get().repoURL();
          if (!chartUrl.equals(source.repoURL())) {
            repos.cache().fetch(chartUrl);
          }
        }
        Revision resolved = repos.cache().resolve(source.repoURL(), source.targetRevision());
        all.addAll(
            renderer.render(
                source,
                resolved,
                target(
                    application.destination().namespace(),
                    kubeVersion != null
                        ? Optional.empty()
                        : new DestinationContext().contextFor(application))));
      } catch (TagflowException e) {
        if (loaded.size() == 1) {
          throw e;
        }
        failures.add(application.name() + ": " + e.getMessage());
      }
    }
    print(all);
    failures.forEach(failure -> spec.commandLine().getErr().println("tagflow: " + failure));
    return failures.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
  }

  private RenderTarget target(String destinationNamespace, Optional<String> destinationContext) {
    String chosen =
        namespace != null
            ? namespace
            : destinationNamespace != null && !destinationNamespace.isEmpty()
                ? destinationNamespace
                : "default";
    return new RenderTarget(chosen, capabilities(destinationContext));
  }

  /**
   * Offline with --kube-version; else what the destination cluster says, as the controller renders
   * for it, read once per context.
   */
  private Capabilities capabilities(Optional<String> destinationContext) {
    if (kubeVersion != null) {
      return Capabilities.offline(kubeVersion);
    }
    Optional<String> chosen = context != null ? Optional.of(context) : destinationContext;
    return clusterCapabilities.computeIfAbsent(chosen.orElse(""), key -> readCapabilities(chosen));
  }

  private Capabilities readCapabilities(Optional<String> chosen) {
    Path file = kubeconfigFile();
    String which = chosen.map(c -> "context '" + c + "'").orElse("the current context");
    try (ClusterConnections connections = new ClusterConnections(file)) {
      return new DestinationCapabilities().of(connections.connect(chosen));
    } catch (ClusterException e) {
      throw TagflowException.failed(
          "could not read the Kubernetes version and kinds of "
              + which
              + " in "
              + file
              + ": "
              + e.getMessage()
              + "; give --kube-version to render offline");
    }
  }

  private Path kubeconfigFile() {
    return KubeconfigFile.locate(
        kubeconfig,
        " to read the destination's Kubernetes version and kinds from; give --kubeconfig,"
            + " or --kube-version to render offline");
  }

  private SourceKind kind(
      Renderer renderer,
      RepoContext repos,
      String url,
      Revision resolved,
      String application,
      String wanted) {
    boolean helm = chartPath != null || !helmValues.isEmpty() || inlineValues != null;
    SourceKind detected = helm ? null : renderer.detect(url, resolved, path);
    if (helm || detected instanceof SourceKind.Helm) {
      Optional<ChartRef> chart =
          chartPath == null
              ? Optional.empty()
              : Optional.of(
                  new ChartRef(
                      chartRepo == null ? url : urlOf(repos, chartRepo),
                      chartPath,
                      chartRevision == null ? wanted : chartRevision));
      return new SourceKind.Helm(chart, helmValues, readInline(), Optional.of(application));
    }
    if (detected instanceof SourceKind.Directory) {
      return new SourceKind.Directory(
          recurse, Optional.ofNullable(include), Optional.ofNullable(exclude));
    }
    return detected;
  }

  private Optional<String> readInline() {
    if (inlineValues == null) {
      return Optional.empty();
    }
    try {
      // Refused by its size before it is read; Helm's values are checked as any values file.
      YamlLimits.defaults().checkSize(inlineValues.toString(), Files.size(inlineValues));
      return Optional.of(Files.readString(inlineValues));
    } catch (IOException e) {
      throw TagflowException.invalidInput(
          "cannot read --helm-set-file " + inlineValues + ": " + e.getMessage());
    }
  }

  private void print(List<Manifest> manifests) {
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (format == Format.json) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Manifest manifest : manifests) {
          Map<String, Object> item = new LinkedHashMap<>();
          item.put("file", manifest.file());
          item.put("document", manifest.document());
          item.put("hook", manifest.hook());
          item.put("object", manifest.object());
          items.add(item);
        }
        out.println(
            JsonMapper.builderWithJackson2Defaults()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build()
                .writeValueAsString(items));
      } else {
        ObjectMapper yaml =
            YamlOutput.builder()
                .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
                .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
                // A string "3" printed as 3 would be read back as a number.
                .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build();
        for (Manifest manifest : manifests) {
          out.println("---");
          out.println(
              "# Source: " + manifest.file() + " (document " + (manifest.document() + 1) + ")");
          out.print(yaml.writeValueAsString(manifest.object()));
        }
      }
      out.flush();
    } catch (JacksonException e) { // an IOException in Jackson 2, reported as one
      throw new UncheckedIOException(new IOException(e.getMessage(), e));
    }
  }

  /** A name of {@code tagflow repo add}, else the URL (or local path) as given. */
  private static String urlOf(RepoContext repos, String nameOrUrl) {
    Optional<RepoEntry> known = repos.registry().find(nameOrUrl);
    if (known.isPresent()) {
      return known.get().url();
    }
    if (!nameOrUrl.contains("/") && !nameOrUrl.contains(":")) {
      return repos.repo(nameOrUrl).url(); // fails naming the repositories that are known
    }
    return nameOrUrl;
  }

  private Optional<Path> findKubectl() {
    return kubectl != null ? Optional.of(kubectl) : new KubectlFinder().find();
  }

  private static String defaultName(String path) {
    String trimmed = path.replaceAll("/+$", "");
    String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    return last.isEmpty() || last.equals(".") ? "app" : last;
  }

  private static void deleteQuietly(Path dir) {
    // A leftover scratch folder under the data directory is harmless.
    DirectoryRemoval.tryDelete(dir);
  }
}
