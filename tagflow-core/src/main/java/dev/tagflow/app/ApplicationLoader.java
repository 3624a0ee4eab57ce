package dev.tagflow.app;

import dev.tagflow.TagflowException;
import dev.tagflow.yaml.SyntaxProblem;
import dev.tagflow.yaml.YamlComposer;
import dev.tagflow.yaml.YamlLimits;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>A file is read within {@link YamlLimits}: refused by its size before it is read, and by what
 * its aliases expand to while it is composed (a {@code TagflowException} naming the place and the
 * limit). Aliases and merge keys ({@code <<: *defaults}) stand for the values they name.
 */
public final class ApplicationLoader {

  private final YamlComposer yaml;

  /** With {@link YamlLimits#defaults()}. */
  public ApplicationLoader() {
    this(YamlLimits.defaults());
  }

  /** With limits of its own for what a file may hold. */
  public ApplicationLoader(YamlLimits limits) {
    this.yaml = new YamlComposer(limits);
  }

  /** The limits a file must keep. */
  public YamlLimits limits() {
    return yaml.limits();
  }

  /**
   * Reads the file, refused by its size before it is read; its path, as given, names it in
   * messages.
   */
  public List<Application> load(Path file) {
    return load(file.toString(), yaml.limits().readFile(file));
  }

  /** Reads YAML text from a reader, refused as soon as it grows past the size limit. */
  public List<Application> load(String fileName, Reader text) {
    try {
      return load(fileName, yaml.limits().read(fileName, text));
    } catch (IOException e) {
      throw TagflowException.failed("cannot read " + fileName + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads YAML text; {@code fileName} names it in messages.
   *
   * @throws InvalidApplicationException every problem of the file, each with file:line:column
   * @throws TagflowException (INVALID_INPUT) when the file passes a {@link YamlLimits} limit
   */
  public List<Application> load(String fileName, String text) {
    Problems problems = new Problems(fileName);
    List<Application> applications = new ArrayList<>();
    Map<String, Integer> lineOfName = new HashMap<>();
    try {
      for (Node document : yaml.composeAll(fileName, text)) {
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
      SyntaxProblem syntax = SyntaxProblem.of(e);
      problems.add(syntax.at(), syntax.message());
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
    return new ApplicationReader(dialect.get(), problems, yaml).read(r);
  }

  private static boolean isEmpty(Node document) {
    return document instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }
}
