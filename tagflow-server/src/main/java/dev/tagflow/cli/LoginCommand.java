package dev.tagflow.cli;

import dev.tagflow.cli.client.ApiConnection;
import dev.tagflow.cli.client.ClientConfig;
import dev.tagflow.cli.client.ClientFailure;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow login <url>}: checks a token (or a user name and password) against the server and
 * saves it as a context of the client's configuration file, made current.
 */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = {
      "Log in to a Tagflow server: asks for an API token (tagflow token create), or a user name"
          + " and password with --username, checks it against the server, and saves it as the"
          + " current context of $XDG_CONFIG_HOME/tagflow/config.yaml (mode 0600). The token is"
          + " never printed.",
      "Exit codes: 0 logged in, 2 invalid input, 5 credentials refused, 8 server unreachable."
    })
final class LoginCommand implements Callable<Integer> {

  /** The largest token or password read from standard input. */
  static final int MAX_SECRET = 4096;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "<url>",
      description = "The server, e.g. https://host:7070.")
  String url;

  @Option(names = "--token-stdin", description = "Read the token from standard input.")
  boolean tokenStdin;

  @Option(
      names = {"-u", "--username"},
      paramLabel = "<user>",
      description =
          "Log in as this local user; the password is asked (or read with --password-stdin).")
  String username;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordStdin;

  @Option(
      names = "--name",
      paramLabel = "<context>",
      description = "The context's name (default: the server's host:port).")
  String name;

  @Option(
      names = "--ca-file",
      paramLabel = "<pem>",
      description =
          "PEM certificates that sign the server's TLS certificate (a self-signed one); saved in"
              + " the context.")
  Path caFile;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    URI server = serverUri(url);
    if (tokenStdin && (username != null || passwordStdin)) {
      throw new ClientFailure(
          ExitCode.INVALID_INPUT, "give --token-stdin, or --username (with --password-stdin)");
    }
    if (passwordStdin && username == null) {
      throw new ClientFailure(ExitCode.INVALID_INPUT, "--password-stdin goes with --username");
    }
    Optional<Path> ca = Optional.ofNullable(caFile).map(Path::toAbsolutePath);
    String context = name != null ? name : server.getAuthority();
    Console console = System.console();
    String user = username;
    String token = null;
    if (tokenStdin) {
      token = stdin("token");
    } else if (user == null) {
      if (console == null) {
        throw new ClientFailure(
            ExitCode.INVALID_INPUT,
            "no terminal to ask for a token: pipe it in with --token-stdin, or give --username"
                + " with --password-stdin");
      }
      char[] typed =
          console.readPassword("Token (tfa_…; leave empty to log in with a user name): ");
      token = typed == null ? "" : new String(typed).strip();
      if (token.isEmpty()) {
        token = null;
        user = console.readLine("User name: ");
        if (user == null || user.isBlank()) {
          throw new ClientFailure(ExitCode.INVALID_INPUT, "no token and no user name given");
        }
        user = user.strip();
      }
    }
    Path file = ClientConfig.location(System.getenv());
    ClientConfig config = ClientConfig.read(file);
    ClientConfig.Context saved;
    String who;
    if (token != null) {
      if (token.isEmpty()) {
        throw new ClientFailure(ExitCode.INVALID_INPUT, "the token read is empty");
      }
      try (ApiConnection connection =
          new ApiConnection(server, new ApiConnection.Credentials.Token(token), ca)) {
        Map<String, Object> me = connection.get("/api/v1/session");
        who = describe(me);
      }
      saved =
          new ClientConfig.Context(
              context, server.toString(), Optional.of(token), Optional.empty(), ca);
    } else {
      String password = passwordStdin ? stdin("password") : askPassword(console);
      try (ApiConnection connection =
          new ApiConnection(server, new ApiConnection.Credentials.None(), ca)) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", user);
        body.put("password", password);
        ApiConnection.Answer answer =
            connection.exchange(
                "POST",
                "/api/v1/session",
                Optional.of(dev.tagflow.cli.client.JsonText.write(body)));
        if (answer.status() != 201) {
          throw connection.refusal(answer);
        }
        Map<?, ?> opened = (Map<?, ?>) answer.json(server);
        String cookie = sessionCookie(answer.headers());
        saved =
            new ClientConfig.Context(
                context,
                server.toString(),
                Optional.empty(),
                Optional.of(
                    new ClientConfig.Session(
                        user,
                        cookie,
                        String.valueOf(opened.get("csrfToken")),
                        String.valueOf(opened.get("expiresAt")))),
                ca);
        who = user + " (session until " + opened.get("expiresAt") + ")";
      }
    }
    config.with(saved).write(file);
    out.println("Logged in to " + server + " as " + who + ".");
    out.println("Context '" + context + "' saved in " + file + " and made current.");
    return ExitCode.OK;
  }

  private static String describe(Map<String, Object> me) {
    String who = String.valueOf(me.get("name"));
    if (me.get("roles") instanceof List<?> roles && !roles.isEmpty()) {
      List<String> names = new ArrayList<>();
      roles.forEach(r -> names.add(String.valueOf(r).replaceFirst("^role:", "")));
      who += " (roles: " + String.join(", ", names) + ")";
    }
    return who;
  }

  private static String sessionCookie(Map<String, List<String>> headers) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (!header.getKey().equalsIgnoreCase("set-cookie")) {
        continue;
      }
      for (String value : header.getValue()) {
        String prefix = ServerOptions.SESSION_COOKIE + "=";
        if (value.startsWith(prefix)) {
          int end = value.indexOf(';');
          return value.substring(prefix.length(), end < 0 ? value.length() : end);
        }
      }
    }
    throw new ClientFailure(
        ExitCode.FAILED, "the server opened no session cookie; is it a Tagflow server?");
  }

  private static String askPassword(Console console) {
    if (console == null) {
      throw new ClientFailure(
          ExitCode.INVALID_INPUT, "no terminal to ask for the password: use --password-stdin");
    }
    char[] typed = console.readPassword("Password: ");
    if (typed == null || typed.length == 0) {
      throw new ClientFailure(ExitCode.INVALID_INPUT, "no password given");
    }
    return new String(typed);
  }

  /** The first line of standard input, at most {@value #MAX_SECRET} bytes. */
  private static String stdin(String what) throws IOException {
    byte[] bytes = System.in.readNBytes(MAX_SECRET + 1);
    if (bytes.length > MAX_SECRET) {
      throw new ClientFailure(
          ExitCode.INVALID_INPUT,
          "the " + what + " on standard input is longer than " + MAX_SECRET + " bytes");
    }
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    int newline = text.indexOf('\n');
    String first = (newline < 0 ? text : text.substring(0, newline)).strip();
    if (first.isEmpty()) {
      throw new ClientFailure(ExitCode.INVALID_INPUT, "no " + what + " on standard input");
    }
    return first;
  }

  /** The URL as contexts keep it: no trailing slash. */
  static String normalized(String url) {
    String text = url.strip();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return text;
  }

  /** The server's URL, checked: http or https, a host, no path, query or credentials. */
  static URI serverUri(String url) {
    String text = normalized(url);
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new ClientFailure(
          ExitCode.INVALID_INPUT, "'" + shown(text) + "' is not a URL: " + e.getReason());
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new ClientFailure(
          ExitCode.INVALID_INPUT,
          "'"
              + shown(text)
              + "' is not a server URL: give http:// or https://, a host and a port, e.g."
              + " https://127.0.0.1:7070");
    }
    if (uri.getRawUserInfo() != null) {
      throw new ClientFailure(
          ExitCode.INVALID_INPUT,
          "the server URL holds credentials; give the URL alone and the token when asked");
    }
    if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty())
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new ClientFailure(
          ExitCode.INVALID_INPUT,
          "'" + shown(text) + "' has a path; give the server's URL alone, e.g. https://host:7070");
    }
    return uri;
  }

  private static String shown(String text) {
    String safe = dev.tagflow.UrlRedaction.redact(text);
    return safe.length() > 100 ? safe.substring(0, 100) + "…" : safe;
  }
}
