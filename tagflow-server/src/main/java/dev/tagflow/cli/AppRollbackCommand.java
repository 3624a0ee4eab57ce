package dev.tagflow.cli;

import dev.tagflow.cli.client.ApiConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow app rollback <name> <historyId>}: applies a sync of its history again. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Apply again exactly the manifests of a sync of the application's history (tagflow app"
          + " history shows the ids); its automated sync turns off until it is turned on again.",
      "Exit codes as tagflow app sync; 4 when the history has no such id."
    })
final class AppRollbackCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerOptions server;
  @Mixin ClientOutput output;
  @Mixin SyncWaitOptions waiting;

  @Parameters(index = "0", paramLabel = "<app>", description = "The application.")
  String name;

  @Parameters(index = "1", paramLabel = "<historyId>", description = "The sync to go back to.")
  long historyId;

  @Override
  public Integer call() {
    String path = AppCommand.path(name);
    if (historyId < 1) {
      throw new dev.tagflow.cli.client.ClientFailure(
          ExitCode.INVALID_INPUT,
          "<historyId> is a positive number: see tagflow app history " + name);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", historyId);
    try (ApiConnection api = server.connect(spec.commandLine().getErr())) {
      Optional<String> previous = waiting.before(api, name);
      Map<String, Object> accepted = api.post(path + "/rollback", body);
      return waiting.after(api, name, previous, accepted, output, spec.commandLine());
    }
  }
}
