package dev.tagflow.cli;

import dev.tagflow.cli.client.ApiConnection;
import dev.tagflow.cli.client.ClientConfig;
import dev.tagflow.cli.client.ClientFailure;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options of the verbs that talk to a Tagflow server ({@code tagflow app …}): which server and
 * which credentials, from the flags, else {@code TAGFLOW_SERVER}/{@code TAGFLOW_TOKEN}, else the
 * context of the configuration file ({@code tagflow login} writes it).
 */
final class ServerOptions {

  /** The web UI's session cookie, which a {@code tagflow login --username} context holds. */
  static final String SESSION_COOKIE = "tagflow_session";

  @Option(
      names = "--server",
      paramLabel = "<url>",
      description = "The server's URL (default: $TAGFLOW_SERVER, else the current context's).")
  String server;

  @Option(
      names = "--token",
      paramLabel = "<token>",
      description =
          "An API token (default: $TAGFLOW_TOKEN, else the context's). Visible to other users"
              + " in ps: prefer TAGFLOW_TOKEN or tagflow login.")
  String token;

  @Option(
      names = "--context",
      paramLabel = "<name>",
      description = "The context of the configuration file to use instead of the current one.")
  String context;

  @Option(
      names = "--ca-file",
      paramLabel = "<pem>",
      description = "PEM certificates that sign the server's TLS certificate (a self-signed one).")
  Path caFile;

  /**
   * Whether a server was named on the command line ({@code --server} or {@code --context}): the
   * {@code repo} verbs then go to its API instead of the local data directory.
   */
  boolean named() {
    return server != null || context != null;
  }

  /** The connection these options name; warns on {@code err} about a token given as a flag. */
  ApiConnection connect(PrintWriter err) {
    Map<String, String> env = System.getenv();
    if (token != null) {
      err.println(
          "tagflow: warning: a token given with --token is visible to other users of this host"
              + " (ps); prefer TAGFLOW_TOKEN or tagflow login");
    }
    Path file = ClientConfig.location(env);
    ClientConfig config = ClientConfig.read(file);
    String url = server != null ? server : blankToNull(env.get("TAGFLOW_SERVER"));
    Optional<ClientConfig.Context> chosen;
    if (context != null) {
      chosen = config.context(context);
      if (chosen.isEmpty()) {
        throw new ClientFailure(
            ExitCode.INVALID_INPUT,
            "no context '" + context + "' in " + file + "; tagflow login <url> --name " + context);
      }
    } else if (url != null) {
      String wanted = LoginCommand.normalized(url);
      chosen = config.contexts().stream().filter(c -> c.server().equals(wanted)).findFirst();
    } else {
      chosen = config.current();
    }
    if (url == null) {
      url =
          chosen
              .map(ClientConfig.Context::server)
              .orElseThrow(
                  () ->
                      new ClientFailure(
                          ExitCode.INVALID_INPUT,
                          "which server? Log in first (tagflow login <url>), or give --server or"
                              + " TAGFLOW_SERVER"));
    }
    URI uri = LoginCommand.serverUri(url);
    Optional<Path> ca =
        Optional.ofNullable(caFile).or(() -> chosen.flatMap(ClientConfig.Context::caFile));
    String given = token != null ? token : blankToNull(env.get("TAGFLOW_TOKEN"));
    ApiConnection.Credentials credentials;
    if (given != null) {
      credentials = new ApiConnection.Credentials.Token(given.strip());
    } else if (chosen.flatMap(ClientConfig.Context::token).isPresent()) {
      credentials = new ApiConnection.Credentials.Token(chosen.get().token().get());
    } else if (chosen.flatMap(ClientConfig.Context::session).isPresent()) {
      ClientConfig.Session session = chosen.get().session().get();
      if (expired(session)) {
        throw new ClientFailure(
            ExitCode.AUTH_FAILED,
            "the session of "
                + session.user()
                + " at "
                + uri
                + " ended at "
                + session.expiresAt()
                + "; log in again: tagflow login "
                + uri);
      }
      credentials =
          new ApiConnection.Credentials.Session(
              SESSION_COOKIE, session.cookie(), session.csrfToken());
    } else {
      throw new ClientFailure(
          ExitCode.AUTH_FAILED,
          "no credentials for "
              + uri
              + ": tagflow login "
              + uri
              + ", or give a token in TAGFLOW_TOKEN");
    }
    return new ApiConnection(uri, credentials, ca);
  }

  private static boolean expired(ClientConfig.Session session) {
    try {
      return Instant.parse(session.expiresAt()).isBefore(Instant.now());
    } catch (DateTimeParseException e) {
      return false; // the server says so at the first request
    }
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
