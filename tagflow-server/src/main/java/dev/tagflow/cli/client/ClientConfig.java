package dev.tagflow.cli.client;

import dev.tagflow.cli.ExitCode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The client's configuration file, {@code $XDG_CONFIG_HOME/tagflow/config.yaml} (else {@code
 * ~/.config/tagflow/config.yaml}): servers a person logged in to, as kubectl's contexts, and the
 * current one. Read strictly (an unknown field, a wrong type or broken YAML is an error at
 * file:line:column); written whole to a file of mode 0600 that replaces the old one atomically.
 *
 * @param currentContext the context verbs use when none is named
 * @param contexts every context, by name
 */
public record ClientConfig(Optional<String> currentContext, List<Context> contexts) {

  /** The largest file read: a few contexts take a few kilobytes. */
  static final int MAX_BYTES = 1024 * 1024;

  public ClientConfig {
    contexts = List.copyOf(contexts);
  }

  /**
   * One server and how to speak to it.
   *
   * @param name what {@code --context} and {@code currentContext} call it
   * @param server the server's URL ({@code https://tagflow.example:7070})
   * @param token an API token ({@code tfa_…}), or empty for a session
   * @param session a session opened with a user name and password, or empty for a token
   * @param caFile the PEM certificates that sign the server's certificate, when it is not one the
   *     JDK trusts (a self-signed server)
   */
  public record Context(
      String name,
      String server,
      Optional<String> token,
      Optional<Session> session,
      Optional<Path> caFile) {}

  /**
   * A web session opened by {@code tagflow login --username}.
   *
   * @param user who logged in
   * @param cookie the session cookie's value
   * @param csrfToken sent with every change, as the server asks of sessions
   * @param expiresAt when the server ends it (ISO-8601)
   */
  public record Session(String user, String cookie, String csrfToken, String expiresAt) {}

  /** An empty configuration: nobody logged in anywhere. */
  public static ClientConfig empty() {
    return new ClientConfig(Optional.empty(), List.of());
  }

  /** Where the file is for this environment: {@code $XDG_CONFIG_HOME}, else {@code ~/.config}. */
  public static Path location(Map<String, String> env) {
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base =
        xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("tagflow").resolve("config.yaml");
  }

  /** The context of that name. */
  public Optional<Context> context(String name) {
    return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** The current context, if one is set and exists. */
  public Optional<Context> current() {
    return currentContext.flatMap(this::context);
  }

  /** This configuration with {@code context} added (or replacing its namesake) and made current. */
  public ClientConfig with(Context context) {
    List<Context> all = new ArrayList<>();
    boolean replaced = false;
    for (Context c : contexts) {
      if (c.name().equals(context.name())) {
        all.add(context);
        replaced = true;
      } else {
        all.add(c);
      }
    }
    if (!replaced) {
      all.add(context);
    }
    return new ClientConfig(Optional.of(context.name()), all);
  }

  /** This configuration without that context; the current one stays unless it was that one. */
  public ClientConfig without(String name) {
    List<Context> rest = contexts.stream().filter(c -> !c.name().equals(name)).toList();
    Optional<String> current =
        currentContext
            .filter(c -> !c.equals(name))
            .or(() -> rest.stream().findFirst().map(Context::name));
    return new ClientConfig(current, rest);
  }

  /** Reads the file; a missing file is an empty configuration. */
  public static ClientConfig read(Path file) {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw invalid(file + " is larger than " + MAX_BYTES + " bytes; is it the right file?");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return empty();
    } catch (IOException e) {
      throw invalid("cannot read " + file + ": " + e.getMessage());
    }
    return parse(file, new String(bytes, StandardCharsets.UTF_8));
  }

  /** Reads the text of a configuration file; {@code file} is only named in errors. */
  public static ClientConfig parse(Path file, String text) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(10);
    options.setNestingDepthLimit(20);
    Node root;
    try {
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw at(file, mark, "not valid YAML: " + firstLine(e.getProblem()));
    } catch (YAMLException e) {
      throw invalid(file + ": not valid YAML: " + firstLine(e.getMessage()));
    }
    if (root == null) {
      return empty();
    }
    Reader reader = new Reader(file);
    Map<String, Node> top = reader.fields(root, Set.of("currentContext", "contexts"));
    Optional<String> current = Optional.ofNullable(top.get("currentContext")).map(reader::text);
    List<Context> contexts = new ArrayList<>();
    Node list = top.get("contexts");
    if (list != null) {
      if (!(list instanceof SequenceNode sequence)) {
        throw at(file, list.getStartMark(), "contexts must be a list of contexts");
      }
      for (Node item : sequence.getValue()) {
        Context context = reader.context(item);
        if (contexts.stream().anyMatch(c -> c.name().equals(context.name()))) {
          throw at(file, item.getStartMark(), "a second context named '" + context.name() + "'");
        }
        contexts.add(context);
      }
    }
    return new ClientConfig(current, contexts);
  }

  /** Reads the nodes of one file, each mistake an error at its line and column. */
  private record Reader(Path file) {

    Map<String, Node> fields(Node node, Set<String> known) {
      if (!(node instanceof MappingNode mapping)) {
        throw at(file, node.getStartMark(), "a mapping of fields was expected here");
      }
      Map<String, Node> fields = new java.util.LinkedHashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        String key = text(tuple.getKeyNode());
        if (!known.contains(key)) {
          throw at(
              file,
              tuple.getKeyNode().getStartMark(),
              "unknown field '"
                  + key
                  + "'; the fields here are "
                  + String.join(", ", known.stream().sorted().toList()));
        }
        if (fields.containsKey(key)) {
          // compose() keeps both; a file that says two things must say which it means.
          throw at(file, tuple.getKeyNode().getStartMark(), "duplicate field '" + key + "'");
        }
        fields.put(key, tuple.getValueNode());
      }
      return fields;
    }

    String text(Node node) {
      if (!(node instanceof ScalarNode scalar) || scalar.getValue().isEmpty()) {
        throw at(file, node.getStartMark(), "a text value was expected here");
      }
      return scalar.getValue();
    }

    Context context(Node node) {
      Map<String, Node> fields =
          fields(node, Set.of("name", "server", "token", "session", "caFile"));
      for (String required : List.of("name", "server")) {
        if (!fields.containsKey(required)) {
          throw at(file, node.getStartMark(), "this context has no " + required);
        }
      }
      Optional<Session> session = Optional.empty();
      if (fields.containsKey("session")) {
        Node value = fields.get("session");
        Map<String, Node> s = fields(value, Set.of("user", "cookie", "csrfToken", "expiresAt"));
        for (String required : List.of("user", "cookie", "csrfToken", "expiresAt")) {
          if (!s.containsKey(required)) {
            throw at(file, value.getStartMark(), "this session has no " + required);
          }
        }
        session =
            Optional.of(
                new Session(
                    text(s.get("user")),
                    text(s.get("cookie")),
                    text(s.get("csrfToken")),
                    text(s.get("expiresAt"))));
      }
      return new Context(
          text(fields.get("name")),
          text(fields.get("server")),
          Optional.ofNullable(fields.get("token")).map(this::text),
          session,
          Optional.ofNullable(fields.get("caFile")).map(n -> Path.of(text(n))));
    }
  }

  /**
   * Writes the configuration to {@code file}: a new file of mode 0600 in the same directory (made
   * 0700 if missing), then moved over the old one, so that a crash leaves the old file or the new
   * one, and no other user can read a token at any moment.
   */
  public void write(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    Path temp = null;
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      temp =
          Files.createTempFile(
              dir,
              ".config.yaml.",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, yaml());
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (IOException e) {
      throw invalid("cannot write " + file + ": " + e.getMessage());
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // The failure above is what the person must see; a stray temporary file is harmless.
        }
      }
    }
  }

  /** The file's text: every value double-quoted (YAML reads JSON strings as they are). */
  String yaml() {
    StringBuilder out = new StringBuilder();
    out.append(
        "# Written by tagflow login/logout (docs/cli.md). It holds credentials: mode 0600.\n");
    currentContext.ifPresent(c -> out.append("currentContext: ").append(quoted(c)).append('\n'));
    out.append("contexts:").append(contexts.isEmpty() ? " []\n" : "\n");
    for (Context c : contexts) {
      out.append("  - name: ").append(quoted(c.name())).append('\n');
      out.append("    server: ").append(quoted(c.server())).append('\n');
      c.token().ifPresent(t -> out.append("    token: ").append(quoted(t)).append('\n'));
      c.caFile()
          .ifPresent(f -> out.append("    caFile: ").append(quoted(f.toString())).append('\n'));
      c.session()
          .ifPresent(
              s ->
                  out.append("    session:\n")
                      .append("      user: ")
                      .append(quoted(s.user()))
                      .append("\n      cookie: ")
                      .append(quoted(s.cookie()))
                      .append("\n      csrfToken: ")
                      .append(quoted(s.csrfToken()))
                      .append("\n      expiresAt: ")
                      .append(quoted(s.expiresAt()))
                      .append('\n'));
    }
    return out.toString();
  }

  private static String quoted(String text) {
    return JsonText.write(text);
  }

  private static ClientFailure at(Path file, Mark mark, String what) {
    String where =
        mark == null
            ? file.toString()
            : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    return invalid(
        where + ": " + what + " (fix the file, or remove it and run tagflow login again)");
  }

  private static ClientFailure invalid(String message) {
    return new ClientFailure(ExitCode.INVALID_INPUT, message);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
