package dev.tagflow.cli;

import dev.tagflow.UrlRedaction;
import dev.tagflow.source.RepoCredentials;
import dev.tagflow.source.RepoEntry;
import dev.tagflow.source.RepoStatus;
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

/** {@code tagflow repo list}: the repositories added, and when each mirror was last fetched. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List the repositories added, with when each was last fetched.",
      "With --server or --context: those the server follows (added over its API, from its"
          + " settings, read by its applications, hosted), with how each logs in."
    })
final class RepoListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin OutputFormat output;
  @Mixin ServerOptions server;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (server.named()) {
      try (var api = server.connect(spec.commandLine().getErr())) {
        List<Map<?, ?>> items = RepoServerVerbs.list(api);
        if (output.json()) {
          output.printJson(out, Map.of("items", items));
        } else {
          RepoServerVerbs.printTable(out, spec.commandLine().getErr(), items);
        }
      }
      return ExitCode.OK;
    }
    try (RepoContext repos = new RepoContext(dataDir.resolve())) {
      List<Map<String, Object>> json = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      for (RepoEntry entry : repos.registry().list()) {
        RepoStatus status = repos.cache().status(entry.url());
        String fetched = status.lastFetched().map(Object::toString).orElse("never");
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", entry.name());
        item.put("url", UrlRedaction.redact(entry.url()));
        item.put("auth", authOf(entry.credentials()));
        item.put("lastFetched", status.lastFetched().map(Object::toString).orElse(null));
        item.put("refs", status.refs().size());
        json.add(item);
        rows.add(
            List.of(
                entry.name(),
                UrlRedaction.redact(entry.url()),
                authOf(entry.credentials()),
                fetched,
                String.valueOf(status.refs().size())));
      }
      if (output.json()) {
        output.printJson(out, json);
      } else if (rows.isEmpty()) {
        out.println("No repositories yet; add one with 'tagflow repo add <url>'.");
      } else {
        OutputFormat.printTable(out, List.of("NAME", "URL", "AUTH", "FETCHED", "REFS"), rows);
      }
      return ExitCode.OK;
    }
  }

  /** How a repository logs in, in one word (never a secret). */
  static String authOf(RepoCredentials credentials) {
    return switch (credentials) {
      case RepoCredentials.None none -> "none";
      case RepoCredentials.Token token -> "token";
      case RepoCredentials.Basic basic -> "basic";
      case RepoCredentials.SshKey key -> "ssh";
      case RepoCredentials.Secret secret -> "secret";
    };
  }
}
