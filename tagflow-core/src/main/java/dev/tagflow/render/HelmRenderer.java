package dev.tagflow.render;

import com.marcnuri.helm.Helm;
import dev.tagflow.TagflowException;
import dev.tagflow.source.Revision;
import dev.tagflow.source.TreeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Helm chart through the Helm engine itself (helm-java): the chart's {@code values.yaml}, then
 * the values files in order, then the inline values (written as the last values file, as Argo CD
 * does), with the release name, namespace and Kubernetes version of the target.
 *
 * <p>{@code helm template} prints hooks after the other objects; the engine's template call keeps
 * only the others. So that hooks reach the sync engine, the chart is written out with its
 * templates' {@code helm.sh/hook} annotations renamed, which makes Helm treat hooks as ordinary
 * objects, and the names are restored in what it renders. The chart's {@code crds/} files come
 * first, as with {@code helm template --include-crds}.
 */
final class HelmRenderer {

  /** The longest release name Helm accepts. */
  private static final int MAX_RELEASE_NAME = 53;

  /** Stands in for {@code helm.sh/hook} (and its -weight, -delete-policy) while Helm renders. */
  static final String HOOK_STAND_IN = "tagflow.dev/kept-helm-hook";

  private static final byte[] HOOK = HookAnnotations.HELM.getBytes(StandardCharsets.UTF_8);
  private static final Pattern PACKAGED_DEPENDENCY = Pattern.compile("(.*/)?charts/[^/]+\\.tgz");

  /** What {@code --set} would not keep as a string: booleans, whole numbers, null. */
  private static final Pattern LOOKS_TYPED = Pattern.compile("true|false|null|-?(0|[1-9][0-9]*)");

  private static final String PARAMETERS_AS_STRINGS = "(parameters as strings)";

  /** The YAML files of a chart that Helm reads as data, not as templates. */
  private static final Set<String> CHART_YAML = Set.of("Chart.yaml", "values.yaml", "values.yml");

  private static final Pattern SOURCE = Pattern.compile("(?m)^# Source: (.+)$");
  private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");
  private static final Pattern RENDERED_LINE = Pattern.compile("yaml: line (\\d+):");
  private static final Pattern TEMPLATE_LOCATION =
      Pattern.compile(
          "([\\w.-]+/(?:charts/[\\w.-]+/)*templates/[^\\s:()\"]+)(?::(\\d+))?(?::(\\d+))?");

  private final ManifestParser parser;
  private final ManifestParser output;
  private final Workspace workspace;
  private final ShutdownSignals signals = new ShutdownSignals();

  /**
   * @param parser reads what users write (values files)
   * @param output reads what comes out of a chart (its CRDs and Helm's output), not strict
   */
  HelmRenderer(ManifestParser parser, ManifestParser output, Workspace workspace) {
    this.parser = parser;
    this.output = output;
    this.workspace = workspace;
  }

  /** What the chart is and where it was read, for keys and messages. */
  record Chart(TreeReader tree, String repoURL, Revision revision) {
    String describe() {
      return "'"
          + (tree.path().isEmpty() ? "." : tree.path())
          + "' of "
          + repoURL
          + " at "
          + describe(revision);
    }

    static String describe(Revision revision) {
      return revision.requested() + " (" + revision.shortCommit() + ")";
    }
  }

  RenderPlan plan(
      RenderSource source,
      SourceKind.Helm helm,
      TreeReader repository,
      Revision revision,
      Chart chart,
      RenderTarget target) {
    // Values by the name a syntax error would give; checked only when rendering, so a cache hit
    // reads each file once and parses nothing.
    Map<String, byte[]> values = new LinkedHashMap<>();
    for (String file : helm.valueFiles()) {
      // Relative to the source's path, and may leave it (../common/values.yaml) but not the repo.
      String path = source.resolve(source.path(), file);
      byte[] content;
      try {
        content = parser.bytes(repository, path, path);
      } catch (TagflowException e) {
        if (e.reason() == TagflowException.Reason.INVALID_INPUT && !repository.exists(path)) {
          throw TagflowException.invalidInput(
              "values file '"
                  + file
                  + "' not found in '"
                  + source.shownPath()
                  + "' of "
                  + source.repoURL()
                  + " at "
                  + Chart.describe(revision));
        }
        throw e;
      }
      values.put(path, content);
    }
    helm.values()
        .ifPresent(
            inline ->
                values.put(
                    source.application() + " (inline helm values)",
                    inline.getBytes(StandardCharsets.UTF_8)));
    // Parameters are typed as --set types them; a forced string that --set would read as a
    // bool, number or null goes in a values layer of its own instead (helm-java has no
    // --set-string), after the inline values.
    Map<String, String> set = new LinkedHashMap<>();
    Map<String, Object> forced = new LinkedHashMap<>();
    for (SourceKind.HelmParameter parameter : helm.parameters()) {
      if (parameter.forceString() && LOOKS_TYPED.matcher(parameter.value()).matches()) {
        nest(forced, parameter.name(), parameter.value());
      } else {
        set.put(parameter.name(), parameter.value());
      }
    }
    if (!forced.isEmpty()) {
      values.put(PARAMETERS_AS_STRINGS, parser.yaml(forced));
    }
    Map<String, byte[]> keyed = new LinkedHashMap<>(values);
    set.forEach((name, value) -> keyed.put("(set)" + name, value.getBytes(StandardCharsets.UTF_8)));
    String releaseName = helm.releaseName().filter(n -> !n.isBlank()).orElse(source.application());
    if (releaseName.length() > MAX_RELEASE_NAME) {
      // Helm's own limit: an application name may be longer (253), a release name may not.
      throw TagflowException.invalidInput(
          "the Helm release name '"
              + releaseName
              + "' is "
              + releaseName.length()
              + " characters long; Helm allows "
              + MAX_RELEASE_NAME
              + ". Set spec.source.helm.releaseName to a shorter name");
    }
    String chartKey = chart.tree().treeId();
    String key =
        String.join(
            "|",
            "helm",
            chart.tree().path(),
            chartKey,
            Digest.of(keyed),
            releaseName,
            target.namespace(),
            target.capabilities().kubeVersion());
    return new RenderPlan(
        key,
        "helm",
        () -> render(source.application(), chart, chartKey, values, set, releaseName, target));
  }

  private List<ManifestParser.Document> render(
      String application,
      Chart chart,
      String chartKey,
      Map<String, byte[]> values,
      Map<String, String> set,
      String releaseName,
      RenderTarget target) {
    if (!chart.tree().exists("Chart.yaml")) {
      throw TagflowException.invalidInput(
          "no Chart.yaml in "
              + chart.describe()
              + ": the Helm chart of "
              + application
              + " is missing there");
    }
    values.forEach(
        (name, content) -> {
          if (!name.equals(PARAMETERS_AS_STRINGS)) {
            parser.checkYaml(name, new String(content, StandardCharsets.UTF_8));
          }
        });
    Path scratch = workspace.scratch();
    try (Workspace.Lease written =
        workspace.tree("chart-" + chartKey, chart.tree(), HelmRenderer::prepare)) {
      Path chartDir = written.path();
      checkChartYaml(chart, chartDir);
      var template =
          new Helm(chartDir)
              .template()
              .withName(releaseName)
              // As helm template without -n: the release is in "default".
              .withNamespace(target.namespace().isEmpty() ? "default" : target.namespace());
      if (!target.capabilities().kubeVersion().isBlank()) {
        template = template.withKubeVersion(target.capabilities().kubeVersion());
      }
      int index = 0;
      for (byte[] content : values.values()) {
        Path file = scratch.resolve("values-" + index++ + ".yaml");
        Files.write(file, content);
        template = template.withValuesFile(file);
      }
      for (Map.Entry<String, String> parameter : set.entrySet()) {
        template = template.set(parameter.getKey(), parameter.getValue());
      }
      String output;
      try {
        output = template.call();
      } catch (RuntimeException e) {
        throw templateError(chart, e.getMessage());
      } finally {
        signals.reclaim();
      }
      List<ManifestParser.Document> documents = new ArrayList<>(crds(chart, chartDir));
      documents.addAll(parseOutput(chart, output));
      return documents;
    } catch (IOException e) {
      throw TagflowException.failed("cannot write values files to " + scratch + ": " + e, e);
    } finally {
      Workspace.delete(scratch);
    }
  }

  /**
   * Checks the chart's (and its dependencies') {@code Chart.yaml} and values files against the
   * limits, so that hostile YAML in them fails here, at once, naming the file and the limit: Helm's
   * own parser refuses an alias bomb too, but only after seconds of work. Their syntax is Helm's to
   * judge.
   */
  private void checkChartYaml(Chart chart, Path chartDir) throws IOException {
    try (Stream<Path> files = Files.walk(chartDir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String path = chartDir.relativize(file).toString().replace('\\', '/');
        boolean atAChartsRoot = !path.contains("/") || path.matches("(charts/[^/]+/)+[^/]+");
        if (atAChartsRoot && CHART_YAML.contains(file.getFileName().toString())) {
          String name = DirectoryRenderer.inRepository(chart.tree(), path);
          parser.checkLimits(name, parser.read(file, name));
        }
      }
    }
  }

  /**
   * The chart's (and its dependencies') {@code crds/} files, which Helm installs before anything;
   * read from the folder written out, so packaged dependencies count too.
   */
  private List<ManifestParser.Document> crds(Chart chart, Path chartDir) throws IOException {
    List<ManifestParser.Document> documents = new ArrayList<>();
    try (Stream<Path> files = Files.walk(chartDir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String path = chartDir.relativize(file).toString().replace('\\', '/');
        boolean inCrds = path.startsWith("crds/") || path.matches("(charts/[^/]+/)+crds/.*");
        if (inCrds && DirectoryRenderer.isManifest(path)) {
          String name = DirectoryRenderer.inRepository(chart.tree(), path);
          documents.addAll(this.output.parse(name, this.output.read(file, name)));
        }
      }
    }
    return documents;
  }

  /** Splits Helm's output on its separators and names each object by its template's path. */
  List<ManifestParser.Document> parseOutput(Chart chart, String output) {
    List<ManifestParser.Document> documents = new ArrayList<>();
    Map<String, Integer> perFile = new LinkedHashMap<>();
    Matcher separator = SEPARATOR.matcher(output);
    int start = 0;
    List<int[]> parts = new ArrayList<>();
    while (separator.find()) {
      parts.add(new int[] {start, separator.start()});
      start = separator.end();
    }
    parts.add(new int[] {start, output.length()});
    for (int[] part : parts) {
      String text = output.substring(part[0], part[1]);
      Matcher source = SOURCE.matcher(text);
      if (text.isBlank() || !source.find()) {
        continue;
      }
      String file = inRepository(chart, source.group(1).strip());
      int document = perFile.merge(file, 1, Integer::sum) - 1;
      // Lines count from the "# Source:" comment, the first line of the template's output.
      String body = text.substring(source.start());
      for (ManifestParser.Document parsed : this.output.parse(file, body, 0, document)) {
        restoreHooks(parsed.object());
        documents.add(parsed);
      }
    }
    return documents;
  }

  /** {@code web/templates/a.yaml} (chart name first, as Helm says) as a path of the repository. */
  private static String inRepository(Chart chart, String helmPath) {
    int slash = helmPath.indexOf('/');
    String inChart = slash < 0 ? helmPath : helmPath.substring(slash + 1);
    return DirectoryRenderer.inRepository(chart.tree(), inChart);
  }

  private static final Pattern DEBUG_ADVICE =
      Pattern.compile("[.;]?\\s*Use --debug flag to render out invalid YAML\\.?");

  private static TagflowException templateError(Chart chart, String message) {
    String text = message == null ? "unknown error" : message.strip();
    // Helm appends advice naming a flag of its own command line, which Tagflow does not have.
    text = DEBUG_ADVICE.matcher(text).replaceAll("");
    if (text.contains("YAML parse error") || text.contains("error converting YAML")) {
      text +=
          "; the template's output is not valid YAML there (check the indentation that include,"
              + " toYaml and nindent produce)";
    }
    Matcher location = TEMPLATE_LOCATION.matcher(text);
    if (location.find()) {
      String where =
          inRepository(chart, location.group(1))
              + (location.group(2) == null ? "" : ":" + location.group(2))
              + (location.group(3) == null ? "" : ":" + location.group(3))
              + renderedLine(text, location.group(2));
      return TagflowException.invalidInput(
          where + ": Helm could not render the chart " + chart.describe() + ": " + text);
    }
    return TagflowException.invalidInput(
        "Helm could not render the chart " + chart.describe() + ": " + text);
  }

  /** {@code a.b\\.c=v} as {@code {a: {"b.c": v}}}: dots nest, escaped dots do not. */
  private static void nest(Map<String, Object> into, String dotted, String value) {
    List<String> names = new ArrayList<>();
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < dotted.length(); i++) {
      char c = dotted.charAt(i);
      if (c == '\\' && i + 1 < dotted.length() && dotted.charAt(i + 1) == '.') {
        name.append('.');
        i++;
      } else if (c == '.') {
        names.add(name.toString());
        name.setLength(0);
      } else {
        name.append(c);
      }
    }
    names.add(name.toString());
    Map<String, Object> level = into;
    for (String part : names.subList(0, names.size() - 1)) {
      Object next = level.get(part);
      if (!(next instanceof Map<?, ?>)) {
        next = new LinkedHashMap<String, Object>();
        level.put(part, next);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> child = (Map<String, Object>) next;
      level = child;
    }
    level.put(names.getLast(), value);
  }

  /** Helm names the line of a YAML error in the template's output, not in the template. */
  private static String renderedLine(String message, String templateLine) {
    Matcher line = RENDERED_LINE.matcher(message);
    return templateLine == null && line.find()
        ? " (line " + line.group(1) + " of its rendered output)"
        : "";
  }

  /**
   * A file of the chart as written out: templates with hooks renamed, and packaged dependencies
   * ({@code charts/x-1.0.0.tgz}) unpacked into {@code charts/x/} so their hooks are kept too.
   */
  static Map<String, byte[]> prepare(String path, byte[] content) {
    if (PACKAGED_DEPENDENCY.matcher(path).matches()) {
      String charts = path.substring(0, path.lastIndexOf('/') + 1);
      Map<String, byte[]> files = new LinkedHashMap<>();
      ChartArchive.read(path, content)
          .forEach((inside, bytes) -> files.putAll(prepare(charts + inside, bytes)));
      return files;
    }
    return Map.of(path, keepHooks(path, content));
  }

  /** Renames the hook annotations in templates so Helm keeps hooks with the other objects. */
  static byte[] keepHooks(String path, byte[] content) {
    if (!path.contains("templates/") || indexOf(content, HOOK, 0) < 0) {
      return content;
    }
    return new String(content, StandardCharsets.UTF_8)
        .replace(HookAnnotations.HELM, HOOK_STAND_IN)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void restoreHooks(ObjectNode object) {
    JsonNode annotations = object.path("metadata").path("annotations");
    if (!annotations.isObject()) {
      return;
    }
    ObjectNode restored = ((ObjectNode) annotations).objectNode();
    boolean changed = false;
    for (Map.Entry<String, JsonNode> field : annotations.properties()) {
      String name = field.getKey();
      if (name.startsWith(HOOK_STAND_IN)) {
        name = HookAnnotations.HELM + name.substring(HOOK_STAND_IN.length());
        changed = true;
      }
      restored.set(name, field.getValue());
    }
    if (changed) {
      ((ObjectNode) object.get("metadata")).set("annotations", restored);
    }
  }

  private static int indexOf(byte[] content, byte[] wanted, int from) {
    outer:
    for (int i = from; i <= content.length - wanted.length; i++) {
      for (int j = 0; j < wanted.length; j++) {
        if (content[i + j] != wanted[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
