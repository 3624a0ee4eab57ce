package dev.tagflow.cli;

import dev.tagflow.source.RepoEntry;
import dev.tagflow.source.Revision;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow repo resolve <repo> <revision>}: which commit a targetRevision means now. */
@Command(
    name = "resolve",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch a repository and show the commit a revision resolves to.",
      "<revision> is HEAD, a branch, a tag, a full or short commit, or a version range over tags:"
          + " 1.2.x, ~1.2, ^1, '>=1.2.0 <2.0.0', '*', '^1 || ^2'; a tag prefix goes before the"
          + " version: v1.2.x, prod-v^1."
    })
final class RepoResolveCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin OutputFormat output;

  @Parameters(index = "0", paramLabel = "<repo>", description = "The repository's name or URL.")
  String repo;

  @Parameters(index = "1", paramLabel = "<revision>", description = "What to resolve.")
  String revision;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (RepoContext repos = new RepoContext(dataDir.resolve())) {
      RepoEntry entry = repos.repo(repo);
      repos.cache().fetch(entry.url());
      Revision resolved = repos.cache().resolve(entry.url(), revision);
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("repo", entry.name());
      fields.put("revision", resolved.requested());
      fields.put("kind", resolved.kind().name().toLowerCase());
      fields.put("commit", resolved.commit());
      fields.put("ref", resolved.ref().orElse(null));
      fields.put("tag", resolved.tag().orElse(null));
      fields.put("version", resolved.version().map(Object::toString).orElse(null));
      if (output.json()) {
        output.printJson(out, fields);
      } else {
        List<List<String>> rows = new ArrayList<>();
        fields.forEach(
            (key, value) -> {
              if (value != null) {
                rows.add(List.of(key.toUpperCase() + ":", value.toString()));
              }
            });
        for (List<String> row : rows) {
          out.printf("%-10s %s%n", row.get(0), row.get(1));
        }
      }
      return ExitCode.OK;
    }
  }
}
