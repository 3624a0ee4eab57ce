package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.yaml.YamlComposer;
import dev.tagflow.yaml.YamlLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A local cluster's entries in the user's kubeconfig, as kind adds its own: a cluster, a user and a
 * context named {@code tagflow-<name>}, made the current context by {@code tagflow cluster up} and
 * removed by {@code down}, which restores the context that was current before.
 *
 * <p>The file is edited as text: the entries of that name are cut out, the new ones appended to
 * their lists and {@code current-context} rewritten, so every other byte — other entries, comments,
 * order — stays as it was. Lists written in flow style ({@code [..]}) are refused rather than
 * rewritten. The file is replaced atomically (a temporary file beside it, then a rename), so a
 * reader never sees half of it.
 */
final class UserKubeconfig {

  private static final List<String> LISTS = List.of("clusters", "users", "contexts");

  private final Path file;

  UserKubeconfig(Path file) {
    this.file = file;
  }

  /** The user's kubeconfig: {@code $KUBECONFIG}'s first file, else {@code ~/.kube/config}. */
  static UserKubeconfig ofUser() {
    String env = System.getenv("KUBECONFIG");
    return new UserKubeconfig(
        env != null && !env.isBlank()
            ? Path.of(env.split(java.io.File.pathSeparator)[0])
            : Path.of(System.getProperty("user.home"), ".kube", "config"));
  }

  Path file() {
    return file;
  }

  /** A cluster's entries, as the text of one list item each. */
  record Entries(String name, String cluster, String user, String context) {

    /** The entries of a local cluster, from the values of its own kubeconfig. */
    static Entries of(
        String name, String server, String caData, String certificateData, String keyData) {
      return new Entries(
          name,
          "- name: "
              + name
              + "\n  cluster:\n    server: "
              + server
              + "\n    certificate-authority-data: "
              + caData
              + "\n",
          "- name: "
              + name
              + "\n  user:\n    client-certificate-data: "
              + certificateData
              + "\n    client-key-data: "
              + keyData
              + "\n",
          "- name: "
              + name
              + "\n  context:\n    cluster: "
              + name
              + "\n    user: "
              + name
              + "\n    namespace: default\n");
    }

    String item(String list) {
      return switch (list) {
        case "clusters" -> cluster;
        case "users" -> user;
        default -> context;
      };
    }
  }

  /**
   * Adds (or replaces) the entries and makes their context current.
   *
   * @return the context that was current before, if any
   */
  Optional<String> add(Entries entries) {
    String text = read();
    Optional<String> previous = currentContext(text);
    write(added(file.toString(), text, entries));
    return previous.filter(p -> !p.equals(entries.name()));
  }

  /**
   * Removes the entries named {@code name}; when their context is current, {@code restore} becomes
   * current again (or none). Whether the file held any of them.
   */
  boolean remove(String name, Optional<String> restore) {
    if (!Files.exists(file)) {
      return false;
    }
    String text = read();
    String after = removed(file.toString(), text, name, restore);
    if (after.equals(text)) {
      return false;
    }
    write(after);
    return true;
  }

  /** The text with the entries added (replacing those of the same name) and made current. */
  static String added(String fileName, String text, Entries entries) {
    String edited = removed(fileName, text, entries.name(), Optional.empty());
    if (edited.isBlank()) {
      edited = "apiVersion: v1\nkind: Config\npreferences: {}\n";
    }
    for (String list : LISTS) {
      edited = appended(fileName, edited, list, entries.item(list));
    }
    return withCurrentContext(fileName, edited, Optional.of(entries.name()));
  }

  /** The text without the entries named {@code name}; a current context of theirs restored. */
  static String removed(String fileName, String text, String name, Optional<String> restore) {
    String edited = text;
    for (String list : LISTS) {
      edited = withoutItem(fileName, edited, list, name);
    }
    if (currentContext(edited).filter(name::equals).isPresent()) {
      edited = withCurrentContext(fileName, edited, restore);
    }
    return edited;
  }

  static Optional<String> currentContext(String text) {
    if (text.isBlank()) {
      return Optional.empty();
    }
    return value(root("kubeconfig", text), "current-context")
        .filter(ScalarNode.class::isInstance)
        .map(n -> ((ScalarNode) n).getValue())
        .filter(v -> !v.isEmpty());
  }

  private static String withoutItem(String fileName, String text, String list, String name) {
    if (text.isBlank()) {
      return text;
    }
    Optional<Node> items = value(root(fileName, text), list);
    if (items.isEmpty() || !(items.get() instanceof SequenceNode sequence)) {
      return text;
    }
    // From the last to the first, so earlier offsets stay right.
    List<Node> ours = new ArrayList<>();
    for (Node item : sequence.getValue()) {
      if (value(item, "name")
          .filter(n -> n instanceof ScalarNode s && s.getValue().equals(name))
          .isPresent()) {
        ours.add(item);
      }
    }
    if (!ours.isEmpty() && isFlow(text, sequence)) {
      throw flowRefused(fileName, list, sequence);
    }
    String edited = text;
    ours.sort(Comparator.comparingInt((Node n) -> n.getStartMark().getIndex()).reversed());
    for (Node item : ours) {
      int start = lineStart(edited, offset(edited, item.getStartMark()));
      int end = lineEnd(edited, offset(edited, contentEnd(item)));
      edited = edited.substring(0, start) + edited.substring(end);
    }
    return edited;
  }

  private static String appended(String fileName, String text, String list, String item) {
    Optional<Node> found = value(root(fileName, text), list);
    if (found.isEmpty()) {
      return ensureNewline(text) + list + ":\n" + item;
    }
    Node node = found.get();
    boolean empty =
        (node instanceof ScalarNode scalar
                && (scalar.getValue().isEmpty() || scalar.getTag().equals(Tag.NULL)))
            || (node instanceof SequenceNode seq && seq.getValue().isEmpty());
    if (empty) {
      // `clusters:`, `clusters: null` or `clusters: []`: the value is replaced by the list.
      int start = offset(text, node.getStartMark());
      int end = offset(text, node.getEndMark());
      String after = text.substring(end);
      return text.substring(0, start).stripTrailing()
          + "\n"
          + item
          + (after.startsWith("\n") ? after.substring(1) : after);
    }
    if (!(node instanceof SequenceNode sequence)) {
      throw TagflowException.invalidInput(
          where(fileName, node.getStartMark())
              + list
              + " is not a list; fix the kubeconfig or use --no-kubeconfig-update");
    }
    if (isFlow(text, sequence)) {
      throw flowRefused(fileName, list, sequence);
    }
    Node last = sequence.getValue().getLast();
    int indent = sequence.getValue().getFirst().getStartMark().getColumn() - 2;
    int at = lineEnd(text, offset(text, contentEnd(last)));
    String prefix = " ".repeat(Math.max(indent, 0));
    String indented = String.join("", item.lines().map(line -> prefix + line + "\n").toList());
    return ensureNewline(text.substring(0, at)) + indented + text.substring(at);
  }

  private static String withCurrentContext(String fileName, String text, Optional<String> name) {
    String value = name.map(UserKubeconfig::scalar).orElse("\"\"");
    Optional<Node> current = value(root(fileName, text), "current-context");
    if (current.isEmpty()) {
      return name.isEmpty() ? text : ensureNewline(text) + "current-context: " + value + "\n";
    }
    Node node = current.get();
    int start = offset(text, node.getStartMark());
    int end = offset(text, node.getEndMark());
    if (start == end) {
      // `current-context:` with nothing after it.
      return text.substring(0, start) + " " + value + text.substring(end);
    }
    return text.substring(0, start) + value + text.substring(end);
  }

  private static String scalar(String name) {
    return name.matches("[A-Za-z0-9._@/-]+") ? name : "\"" + name.replace("\"", "\\\"") + "\"";
  }

  private static Node root(String fileName, String text) {
    Node root = new YamlComposer(YamlLimits.defaults()).composeOne(fileName, text, 0);
    if (root == null) {
      return new MappingNode(
          org.yaml.snakeyaml.nodes.Tag.MAP,
          List.of(),
          org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
    }
    if (!(root instanceof MappingNode)) {
      throw TagflowException.invalidInput(
          where(fileName, root.getStartMark())
              + "a kubeconfig is a mapping (apiVersion, clusters, users, contexts, …); fix it or"
              + " use --no-kubeconfig-update");
    }
    return root;
  }

  private static Optional<Node> value(Node mapping, String key) {
    if (!(mapping instanceof MappingNode map)) {
      return Optional.empty();
    }
    for (NodeTuple tuple : map.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return Optional.of(tuple.getValueNode());
      }
    }
    return Optional.empty();
  }

  private static boolean isFlow(String text, SequenceNode sequence) {
    int start = offset(text, sequence.getStartMark());
    return start < text.length() && text.charAt(start) == '[';
  }

  private static TagflowException flowRefused(String fileName, String list, Node node) {
    return TagflowException.invalidInput(
        where(fileName, node.getStartMark())
            + list
            + " is written in flow style ([...]); Tagflow edits block lists only, so that the"
            + " rest of the file stays as it is: write it as a block list or use"
            + " --no-kubeconfig-update");
  }

  private static String where(String fileName, Mark mark) {
    return fileName + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": ";
  }

  /** A mark's index counts code points; the text's offsets count chars. */
  private static int offset(String text, Mark mark) {
    return text.offsetByCodePoints(
        0, Math.min(mark.getIndex(), text.codePointCount(0, text.length())));
  }

  /**
   * Where a node's own text ends: its last scalar's end. A block collection's end mark is where the
   * next token starts, which may be the next entry's line.
   */
  private static Mark contentEnd(Node node) {
    return switch (node) {
      case MappingNode map when !map.getValue().isEmpty() ->
          contentEnd(map.getValue().getLast().getValueNode());
      case SequenceNode seq
          when !seq.getValue().isEmpty() && seq.getFlowStyle().name().equals("BLOCK") ->
          contentEnd(seq.getValue().getLast());
      default -> node.getEndMark();
    };
  }

  private static int lineStart(String text, int offset) {
    return offset == 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** The offset after the line that holds {@code offset} (or {@code offset} at a line's start). */
  private static int lineEnd(String text, int offset) {
    if (offset == 0 || offset >= text.length() || text.charAt(offset - 1) == '\n') {
      return Math.min(offset, text.length());
    }
    int newline = text.indexOf('\n', offset);
    return newline < 0 ? text.length() : newline + 1;
  }

  private static String ensureNewline(String text) {
    return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
  }

  private String read() {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw TagflowException.failed(
          "could not read the kubeconfig " + file + ": " + e.getMessage(), e);
    }
  }

  /** Replaces the file atomically; a new file is readable by its owner only (it holds a key). */
  private void write(String text) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".tagflow-kubeconfig", ".tmp");
      try {
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(
            temp,
            Files.exists(file)
                ? Files.getPosixFilePermissions(file)
                : PosixFilePermissions.fromString("rw-------"));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw TagflowException.failed(
          "could not write the kubeconfig " + file + ": " + e.getMessage(), e);
    }
  }
}
