package dev.tagflow.cli;

import dev.tagflow.store.BuiltImage;
import dev.tagflow.store.ReleaseStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow releases [list]}: the images the pipeline pushed (tag → commit → digest) and the
 * applications whose recorded Release runs that digest.
 */
@Command(
    name = "releases",
    mixinStandardHelpOptions = true,
    description = {
      "List the images tagflow server's runs pushed, newest first: the repository, tag and commit"
          + " each was built from, its digest, and the applications (environments) whose Release"
          + " runs that digest, recorded once they were Healthy.",
      "See docs/workflows.md (Releases)."
    },
    subcommands = {ReleasesCommand.ListCommand.class})
final class ReleasesCommand implements Callable<Integer> {

  @Mixin ReleaseListing listing;

  @Override
  public Integer call() {
    return listing.print();
  }

  /** {@code tagflow releases list}: the same as {@code tagflow releases}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the images runs pushed and where they run (as tagflow releases).")
  static final class ListCommand implements Callable<Integer> {

    @Mixin ReleaseListing listing;

    @Override
    public Integer call() {
      return listing.print();
    }
  }

  /** The options and the printing both verbs share. */
  static final class ReleaseListing {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Mixin DataDirOption dataDir;
    @Mixin DatabaseOption database;
    @Mixin OutputFormat output;

    @Option(
        names = "--repo",
        paramLabel = "<repository>",
        description = "Only this repository's images (owner/name, as tagflow runs list shows).")
    String repository;

    @Option(
        names = "--limit",
        defaultValue = "50",
        paramLabel = "<n>",
        description = "At most this many images (default: ${DEFAULT-VALUE}).")
    int limit;

    int print() {
      PrintWriter out = spec.commandLine().getOut();
      try (RunsContext context = new RunsContext(dataDir.resolve(), database.database)) {
        List<BuiltImage> images = context.images().latest(repository, Math.max(1, limit));
        List<Map<String, Object>> json = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (BuiltImage image : images) {
          List<String> running =
              context.releases().deployedWith(image.digest()).stream()
                  .map(ReleaseStore.Deployment::application)
                  .toList();
          Map<String, Object> entry = json(image);
          entry.put("runningIn", running);
          json.add(entry);
          rows.add(
              List.of(
                  image.repository(),
                  image.refName(),
                  image.commit().substring(0, Math.min(12, image.commit().length())),
                  image.image(),
                  image.digest(),
                  running.isEmpty() ? "-" : String.join(",", running),
                  image.runId()));
        }
        if (output.json()) {
          output.printJson(out, json);
        } else if (rows.isEmpty()) {
          out.println("no image recorded yet: a run's tagflow/image step records one");
        } else {
          OutputFormat.printTable(
              out,
              List.of("REPOSITORY", "TAG", "COMMIT", "IMAGE", "DIGEST", "RUNNING IN", "RUN"),
              rows);
        }
        return ExitCode.OK;
      }
    }
  }

  static Map<String, Object> json(BuiltImage image) {
    return dev.tagflow.server.api.RunView.image(image);
  }
}
