package dev.tagflow.cli;

import dev.tagflow.secret.SecretEntry;
import dev.tagflow.secret.SecretScope;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tagflow secret list [--project|--repo <name>]}: names, scopes and update times only. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List secrets: name, scope and when each was set; never a value.")
final class SecretListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin SecretScopeOption scope;
  @Mixin DatabaseOption database;
  @Mixin OutputFormat output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (SecretsContext context = new SecretsContext(dataDir.resolve(), database.database)) {
      List<SecretEntry> entries = context.secrets().list(scope.optional());
      List<Map<String, Object>> json = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      for (SecretEntry entry : entries) {
        String kind = entry.scope() instanceof SecretScope.Project ? "project" : "repository";
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", entry.name());
        item.put(kind, entry.scope().name());
        item.put("updatedAt", entry.updatedAt().toString());
        json.add(item);
        rows.add(
            List.of(entry.name(), kind + " " + entry.scope().name(), entry.updatedAt().toString()));
      }
      if (output.json()) {
        output.printJson(out, json);
      } else if (rows.isEmpty()) {
        out.println(
            "No secrets yet; set one with 'tagflow secret set NAME --project <name>' (value on"
                + " stdin).");
      } else {
        OutputFormat.printTable(out, List.of("NAME", "SCOPE", "UPDATED"), rows);
      }
      return ExitCode.OK;
    }
  }
}
