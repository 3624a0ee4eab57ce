package dev.tagflow.cli;

import dev.tagflow.cli.client.ApiConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow app sync <name>}: asks the server to sync now, and waits if told to. */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Ask the server to sync an application now, whatever its sync policy (its project's sync"
          + " windows permitting); with --wait, until the sync has ended and it is Synced and"
          + " Healthy.",
      "Exit codes: 0 done, 1 the sync failed, 3 refused (a sync running, a window closed),"
          + " 4 not found, 5 not allowed, 6 timed out, 7 Degraded."
    })
final class AppSyncCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerOptions server;
  @Mixin ClientOutput output;
  @Mixin SyncWaitOptions waiting;

  @Parameters(index = "0", paramLabel = "<app>", description = "The application.")
  String name;

  @Option(names = "--prune", description = "Delete its objects that Git no longer has.")
  boolean prune;

  @Option(
      names = "--confirm-prune",
      description = "Prune even when the prune circuit breaker would stop (many objects at once).")
  boolean confirmPrune;

  @Override
  public Integer call() {
    String path = AppCommand.path(name);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("prune", prune);
    if (confirmPrune) {
      body.put("confirmPrune", true);
    }
    try (ApiConnection api = server.connect(spec.commandLine().getErr())) {
      Optional<String> previous = waiting.before(api, name);
      Map<String, Object> accepted = api.post(path + "/sync", body);
      return waiting.after(api, name, previous, accepted, output, spec.commandLine());
    }
  }
}
