package dev.tagflow.cli;

import dev.tagflow.source.RepoEntry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow repo refs <repo>}: the branches and tags the remote advertises right now. */
@Command(
    name = "refs",
    mixinStandardHelpOptions = true,
    description = "Show the branches and tags of a repository, asked of the remote now.")
final class RepoRefsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin OutputFormat output;

  @Parameters(paramLabel = "<repo>", description = "The repository's name or URL.")
  String repo;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (RepoContext repos = new RepoContext(dataDir.resolve())) {
      RepoEntry entry = repos.repo(repo);
      Map<String, String> refs = repos.remotes().advertisedRefs(entry.url());
      if (output.json()) {
        output.printJson(out, refs);
      } else {
        List<List<String>> rows = new ArrayList<>();
        refs.forEach((ref, commit) -> rows.add(List.of(ref, commit)));
        OutputFormat.printTable(out, List.of("REF", "COMMIT"), rows);
      }
      return ExitCode.OK;
    }
  }
}
