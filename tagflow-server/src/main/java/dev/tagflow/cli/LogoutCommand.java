package dev.tagflow.cli;

import dev.tagflow.cli.client.ApiConnection;
import dev.tagflow.cli.client.ClientConfig;
import dev.tagflow.cli.client.ClientFailure;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow logout [<context>]}: forgets a context's credentials (and ends its session on the
 * server when it holds one).
 */
@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description = {
      "Remove a context (default: the current one) from the configuration file; a session opened"
          + " with --username is also ended on the server. A token stays valid: revoke it with"
          + " tagflow token revoke."
    })
final class LogoutCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "<context>", description = "The context.")
  String context;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path file = ClientConfig.location(System.getenv());
    ClientConfig config = ClientConfig.read(file);
    String name =
        context != null
            ? context
            : config
                .currentContext()
                .orElseThrow(
                    () ->
                        new ClientFailure(
                            ExitCode.INVALID_INPUT,
                            "no current context in " + file + ": nothing to log out of"));
    ClientConfig.Context found =
        config
            .context(name)
            .orElseThrow(
                () ->
                    new ClientFailure(
                        ExitCode.INVALID_INPUT, "no context '" + name + "' in " + file));
    if (found.session().isPresent()) {
      ClientConfig.Session session = found.session().get();
      try (ApiConnection connection =
          new ApiConnection(
              LoginCommand.serverUri(found.server()),
              new ApiConnection.Credentials.Session(
                  ServerOptions.SESSION_COOKIE, session.cookie(), session.csrfToken()),
              found.caFile())) {
        connection.delete("/api/v1/session");
      } catch (ClientFailure e) {
        // Forgotten here all the same; the server ends the session at its expiry.
        err.println("tagflow: warning: could not end the session on the server: " + e.getMessage());
      }
    }
    config.without(name).write(file);
    ClientConfig after = ClientConfig.read(file);
    out.println(
        "Logged out of "
            + found.server()
            + " (context '"
            + name
            + "' removed)"
            + after.currentContext().map(c -> "; current context: " + c).orElse("")
            + ".");
    return ExitCode.OK;
  }
}
