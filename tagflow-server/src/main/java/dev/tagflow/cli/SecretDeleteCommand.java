package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.secret.SecretScope;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow secret delete NAME --project|--repo <name>}. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a secret.")
final class SecretDeleteCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin SecretScopeOption scope;
  @Mixin DatabaseOption database;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Override
  public Integer call() {
    SecretScope where = scope.required();
    try (SecretsContext context = new SecretsContext(dataDir.resolve(), database.database)) {
      if (!context.secrets().delete(where, name)) {
        throw TagflowException.invalidInput(
            "no secret " + name + " of " + where + "; see them with 'tagflow secret list'");
      }
      spec.commandLine().getOut().println("Deleted secret " + name + " of " + where + ".");
      return ExitCode.OK;
    }
  }
}
