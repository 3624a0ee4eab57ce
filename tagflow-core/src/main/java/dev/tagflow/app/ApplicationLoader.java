package dev.tagflow.app;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads Applications from YAML: ours ({@code tagflow.dev/v1alpha1}) and Argo CD's ({@code
 * argoproj.io/v1alpha1}), several per file as separate documents.
 *
 * <p>A file is loaded whole or not at all: every problem in it (unknown field, wrong type, missing
 * field, invalid name, duration or version range, fields of Argo CD's that Tagflow lacks) is
 * reported in one {@link InvalidApplicationException}, each with its {@code file:line:column}.
 */
public final class ApplicationLoader {

  /** Reads the file; its path, as given, names it in messages. */
  public List<Application> load(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      return load(file.toString(), reader);
    } catch (NoSuchFileException e) {
      throw TagflowException.invalidInput(file + ": no such file");
    } catch (IOException e) {
      throw TagflowException.failed("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads YAML text; {@code fileName} names it in messages. */
  public List<Application> load(String fileName, String yaml) {
    return load(fileName, new StringReader(yaml));
  }

  public List<Application> load(String fileName, Reader yaml) {
    Problems problems = new Problems(fileName);
    List<Application> applications = new ArrayList<>();
    Map<String, Integer> lineOfName = new HashMap<>();
    try {
      for (Node document : parser().composeAll(yaml)) {
        if (document == null || isEmpty(document)) {
          continue; // "---" twice in a row, or a file of comments only
        }
        document(document, problems)
            .ifPresent(
                app -> {
                  Integer earlier = lineOfName.putIfAbsent(app.name(), app.origin().line());
                  if (earlier != null) {
                    problems.addAt(
                        app.origin().line(),
                        1,
                        "a second Application named '"
                            + app.name()
                            + "' (the first is at line "
                            + earlier
                            + ")");
                  }
                  applications.add(app);
                });
      }
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String context =
          e.getContext() == null || e.getContextMark() == null
              ? ""
              : e.getContext() + " started at line " + (e.getContextMark().getLine() + 1) + ": ";
      problems.add(mark, "not valid YAML: " + context + e.getProblem());
    } catch (YAMLException e) {
      problems.addAt(1, 1, "not valid YAML: " + e.getMessage());
    }
    problems.throwIfAny();
    return List.copyOf(applications);
  }

  private Optional<Application> document(Node document, Problems problems) {
    Optional<YamlMapping> root = YamlMapping.of(document, "", problems);
    if (root.isEmpty()) {
      return Optional.empty();
    }
    YamlMapping r = root.get();
    String allowedVersions = Dialect.TAGFLOW.apiVersion() + " or " + Dialect.ARGO_CD.apiVersion();
    Optional<String> apiVersion = r.requiredString("apiVersion", allowedVersions);
    Optional<String> kind = r.requiredString("kind", "Application");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      return Optional.empty();
    }
    Optional<Dialect> dialect = Dialect.ofApiVersion(apiVersion.get());
    if (dialect.isEmpty()) {
      problems.add(
          r.valueMark("apiVersion"),
          "apiVersion '" + apiVersion.get() + "' is not an Application's; use " + allowedVersions);
      return Optional.empty();
    }
    if (!kind.get().equals("Application")) {
      problems.add(
          r.valueMark("kind"),
          "kind '" + kind.get() + "' is not an Application; this file may hold only Applications");
      return Optional.empty();
    }
    return new ApplicationReader(dialect.get(), problems).read(r);
  }

  private static boolean isEmpty(Node document) {
    return document instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  /**
   * SnakeYAML composing nodes only, never constructing objects, so a file cannot name Java types;
   * aliases are capped against "billion laughs".
   */
  private static Yaml parser() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50);
    options.setAllowDuplicateKeys(true); // duplicates are found, with their line, by YamlMapping
    return new Yaml(options);
  }
}
