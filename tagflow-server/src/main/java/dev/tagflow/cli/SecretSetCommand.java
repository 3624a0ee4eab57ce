package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.secret.SecretScope;
import dev.tagflow.secret.Secrets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow secret set NAME --project|--repo <name> [--from-file <file>]}: the value comes
 * from stdin or a file, never from an argument, which shell history and {@code ps} would keep.
 */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    description = {
      "Set a secret from stdin (one trailing newline dropped) or --from-file (kept as is).",
      "Example: printf %s \"$TOKEN\" | tagflow secret set REGISTRY_PASSWORD --project shop"
    })
final class SecretSetCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin SecretScopeOption scope;
  @Mixin DatabaseOption database;

  @Parameters(index = "0", paramLabel = "NAME", description = "Letters, digits and '_'.")
  String name;

  // Caught to refuse a value given as an argument without echoing it, as picocli would.
  @Parameters(index = "1..*", hidden = true)
  List<String> extra = List.of();

  @Option(
      names = "--from-file",
      paramLabel = "<file>",
      description = "Read the value from this file instead of stdin.")
  Path fromFile;

  @Override
  public Integer call() {
    if (!extra.isEmpty()) {
      throw TagflowException.invalidInput(
          "tagflow secret set takes no value as an argument: shell history and ps would keep it."
              + " Pipe it on stdin (printf %s \"$VALUE\" | tagflow secret set "
              + name
              + " ...) or use --from-file <file>");
    }
    SecretScope where = scope.required();
    byte[] value = fromFile != null ? readFile(fromFile) : readStdin();
    try (SecretsContext context = new SecretsContext(dataDir.resolve(), database.database)) {
      String stored = context.secrets().set(where, name, value);
      spec.commandLine().getOut().println("Set secret " + stored + " of " + where + ".");
      return ExitCode.OK;
    } finally {
      Arrays.fill(value, (byte) 0);
    }
  }

  private static byte[] readFile(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw TagflowException.invalidInput("could not read --from-file " + file + ": " + e);
    }
  }

  /** Stdin up to its end, without the one newline {@code echo} or a terminal adds. */
  private static byte[] readStdin() {
    try {
      InputStream in = System.in;
      byte[] value = in.readNBytes(Secrets.MAX_VALUE_BYTES + 2);
      int end = value.length;
      if (end > 0 && value[end - 1] == '\n') {
        end--;
        if (end > 0 && value[end - 1] == '\r') {
          end--;
        }
      }
      return Arrays.copyOf(value, end);
    } catch (IOException e) {
      throw TagflowException.failed("could not read the value from stdin: " + e);
    }
  }
}
