package dev.tagflow.pipeline.workflow;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Problem;
import dev.tagflow.source.TreeEntry;
import dev.tagflow.source.TreeReader;
import dev.tagflow.yaml.SyntaxProblem;
import dev.tagflow.yaml.YamlComposer;
import dev.tagflow.yaml.YamlLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads the workflows of a tree: the {@code *.yml} and {@code *.yaml} files directly in {@code
 * .github/workflows} and {@code .tagflow/workflows}, from a directory or from a commit (read
 * straight from Git's objects by {@link TreeReader}, without a checkout).
 *
 * <p>Each file is read within {@link YamlLimits} (its size before it is read, what its aliases
 * expand to while it is composed) and loads whole or not at all: the {@link WorkflowSet} holds the
 * workflows that loaded and every problem of the others, each with {@code file:line:column}.
 * Expressions are checked by the {@link ExpressionCheck} given, where each one is.
 */
public final class WorkflowLoader {

  /** Where workflows are read from, in this order. */
  public static final List<String> DIRECTORIES = List.of(".github/workflows", ".tagflow/workflows");

  /** More workflow files than this in one tree are refused: each is read for every push. */
  public static final int MAX_FILES = 200;

  private final YamlComposer yaml;
  private final ExpressionCheck expressions;

  /** With {@link YamlLimits#defaults()}, checking expressions with the expression language. */
  public WorkflowLoader() {
    this(YamlLimits.defaults(), ExpressionCheck.LANGUAGE);
  }

  public WorkflowLoader(YamlLimits limits, ExpressionCheck expressions) {
    this.yaml = new YamlComposer(Objects.requireNonNull(limits, "limits"));
    this.expressions = Objects.requireNonNull(expressions, "expressions");
  }

  /** The workflows of a directory (a checkout); paths in messages are relative to it. */
  public WorkflowSet load(Path root) {
    Path real;
    try {
      real = root.toRealPath();
    } catch (IOException e) {
      throw TagflowException.invalidInput(root + ": no such directory");
    }
    if (!Files.isDirectory(real)) {
      throw TagflowException.invalidInput(root + " is not a directory");
    }
    List<String> files = new ArrayList<>();
    for (String directory : DIRECTORIES) {
      Path dir = real.resolve(directory);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> listed = Files.list(dir)) {
        listed
            .filter(p -> isWorkflowFile(p.getFileName().toString()))
            .sorted()
            .forEach(p -> files.add(directory + "/" + p.getFileName()));
      } catch (IOException e) {
        throw TagflowException.failed("cannot list " + dir + ": " + e.getMessage(), e);
      }
    }
    return loadAll(
        files,
        file -> {
          Path path = real.resolve(file);
          try {
            // A link may point anywhere on the machine; read only what stays in the tree.
            if (!path.toRealPath().startsWith(real)) {
              return Either.problem(
                  "the file is a link leading outside " + root + "; Tagflow does not read it");
            }
          } catch (IOException e) {
            return Either.problem("cannot be read: " + e.getMessage());
          }
          return readFile(file, path);
        });
  }

  /** One workflow file on disk, named in messages as given. */
  public WorkflowSet loadFile(Path file) {
    return loadAll(List.of(file.toString()), name -> readFile(name, file));
  }

  private Either readFile(String name, Path path) {
    try {
      if (!Files.isRegularFile(path)) {
        return Either.problem("not a regular file");
      }
      yaml.limits().checkSize(name, Files.size(path));
      return utf8(name, Files.readAllBytes(path));
    } catch (IOException e) {
      return Either.problem("cannot be read: " + e.getMessage());
    }
  }

  /**
   * The workflows of a commit, read from Git's objects; {@code root} reads the repository's root
   * directory at that commit.
   */
  public WorkflowSet load(TreeReader root) {
    List<String> files = new ArrayList<>();
    for (String directory : DIRECTORIES) {
      if (!root.exists(directory)) {
        continue;
      }
      for (TreeEntry entry : entries(root, directory)) {
        String name = entry.path().substring(directory.length() + 1);
        if (!name.contains("/")
            && entry.kind() != TreeEntry.Kind.SUBMODULE
            && isWorkflowFile(name)) {
          files.add(entry.path());
        }
      }
    }
    return loadAll(
        files,
        file -> {
          yaml.limits().checkSize(file, root.size(file));
          return utf8(file, root.read(file));
        });
  }

  /**
   * One workflow from its text; {@code file} names it in messages and in the workflow.
   *
   * @throws InvalidWorkflowException with every problem of the file
   */
  public Workflow load(String file, String text) {
    FileProblems problems = new FileProblems(file);
    Optional<Workflow> workflow = read(file, text, problems).workflow();
    if (workflow.isEmpty()) {
      throw new InvalidWorkflowException(problems.sorted());
    }
    return workflow.get();
  }

  private WorkflowSet loadAll(List<String> files, Function<String, Either> reading) {
    List<WorkflowSet.Refused> refused = new ArrayList<>();
    if (files.size() > MAX_FILES) {
      Problem tooMany =
          new Problem(
              files.get(MAX_FILES),
              1,
              1,
              "more than "
                  + MAX_FILES
                  + " workflow files; Tagflow reads at most "
                  + MAX_FILES
                  + " (the files after this one were not read)");
      refused.add(new WorkflowSet.Refused(tooMany.file(), Optional.empty(), List.of(tooMany)));
      files = files.subList(0, MAX_FILES);
    }
    List<Workflow> workflows = new ArrayList<>();
    for (String file : files) {
      FileProblems fileProblems = new FileProblems(file);
      Optional<Triggers> on = Optional.empty();
      try {
        Either read = reading.apply(file);
        if (read.problem() != null) {
          fileProblems.add(new Position(1, 1), read.problem());
        } else {
          WorkflowReader.Reading loaded = read(file, read.text(), fileProblems);
          loaded.workflow().ifPresent(workflows::add);
          on = loaded.on();
        }
      } catch (TagflowException e) {
        if (e.reason() != TagflowException.Reason.INVALID_INPUT) {
          throw e;
        }
        fileProblems.add(placeOf(file, e.getMessage()), stripPlace(file, e.getMessage()));
      }
      if (!fileProblems.isEmpty()) {
        refused.add(new WorkflowSet.Refused(file, on, fileProblems.sorted()));
      }
    }
    return new WorkflowSet(workflows, refused);
  }

  private WorkflowReader.Reading read(String file, String text, FileProblems problems) {
    WorkflowReader.Reading nothing =
        new WorkflowReader.Reading(Optional.empty(), Optional.empty(), List.of());
    Optional<Node> composed =
        compose(
            file, text, problems, "a workflow needs on: (what starts it) and jobs: (what it runs)");
    if (composed.isEmpty()) {
      return nothing;
    }
    Node document = composed.get();
    WorkflowReader.Reading reading = new WorkflowReader(file, problems).read(document);
    check(reading.sites(), text, problems);
    return problems.isEmpty()
        ? reading
        : new WorkflowReader.Reading(Optional.empty(), reading.on(), reading.sites());
  }

  /** Checks the expressions of the sites, each problem placed where it is written. */
  void check(List<ExpressionSite> sites, String text, FileProblems problems) {
    SourceLines lines = new SourceLines(text);
    for (ExpressionSite site : sites) {
      if (!site.isExpression()) {
        continue;
      }
      for (ExpressionCheck.Problem p : expressions.check(site)) {
        problems.add(lines.locate(site.text(), p.offset()), site.path() + ": " + p.message());
      }
    }
  }

  /**
   * The YAML document of a file within the limits; empty with the problem when it is not YAML, is
   * empty ({@code empty} says what the file needs) or passes a limit.
   */
  Optional<Node> compose(String file, String text, FileProblems problems, String empty) {
    Optional<Node> nothing = Optional.empty();
    int control = firstControlCharacter(text);
    if (control >= 0) {
      problems.add(
          positionOf(text, control),
          String.format(
              "the file holds the control character U+%04X, which YAML does not allow; remove it",
              (int) text.charAt(control)));
      return nothing;
    }
    Node document;
    try {
      document = yaml.composeOne(file, text, 0);
    } catch (TagflowException e) {
      // A limit passed: the message names the place, which becomes the problem's.
      problems.add(placeOf(file, e.getMessage()), stripPlace(file, e.getMessage()));
      return nothing;
    } catch (MarkedYAMLException e) {
      SyntaxProblem syntax = SyntaxProblem.of(e);
      problems.add(
          syntax.at() == null ? new Position(1, 1) : Position.of(syntax.at()), syntax.message());
      return nothing;
    } catch (YAMLException e) {
      problems.add(new Position(1, 1), "not valid YAML: " + e.getMessage());
      return nothing;
    }
    if (document == null || document instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
      problems.add(new Position(1, 1), "the file is empty; " + empty);
      return nothing;
    }
    return Optional.of(document);
  }

  /**
   * The index of the first character YAML does not allow, or -1 (C0 and C1 controls but tab, line
   * feed, carriage return and next line; DEL; U+FFFE, U+FFFF): SnakeYAML refuses them too, but
   * names the start of the file rather than their place.
   */
  static int firstControlCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean allowed =
          c == '\t'
              || c == '\n'
              || c == '\r'
              || c == '\u0085'
              || (c >= 0x20 && c < 0x7F)
              || (c > 0x9F && c != '\uFFFE' && c != '\uFFFF');
      if (!allowed) {
        return i;
      }
    }
    return -1;
  }

  /** The line and column of a character of the text, lines ending at line feeds. */
  private static Position positionOf(String text, int index) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new Position(line, index - lineStart + 1);
  }

  /** The text of a file that must be UTF-8, as GitHub reads workflows; a problem otherwise. */
  static Either utf8(String file, byte[] bytes) {
    try {
      return Either.text(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Either.problem("the file is not UTF-8 text; save it as UTF-8");
    }
  }

  private static List<TreeEntry> entries(TreeReader root, String directory) {
    // Listing the root would walk the whole repository; list the directory alone.
    return root.list(directory);
  }

  static boolean isWorkflowFile(String name) {
    return name.endsWith(".yml") || name.endsWith(".yaml");
  }

  private static final Pattern PLACE = Pattern.compile(":(\\d+):(\\d+): ");

  /** Where a limit was passed, from the limit's message ({@code file:line:column: …}). */
  private static Position placeOf(String file, String message) {
    if (message.startsWith(file)) {
      Matcher m = PLACE.matcher(message);
      if (m.find(file.length()) && m.start() == file.length()) {
        return new Position(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
      }
    }
    return new Position(1, 1);
  }

  private static String stripPlace(String file, String message) {
    if (message.startsWith(file)) {
      Matcher m = PLACE.matcher(message);
      if (m.find(file.length()) && m.start() == file.length()) {
        return message.substring(m.end());
      }
      return "the file" + message.substring(file.length());
    }
    return message;
  }

  /** A file's text, or why it was not read. */
  record Either(String text, String problem) {
    static Either text(String text) {
      return new Either(text, null);
    }

    static Either problem(String problem) {
      return new Either(null, problem);
    }
  }
}
