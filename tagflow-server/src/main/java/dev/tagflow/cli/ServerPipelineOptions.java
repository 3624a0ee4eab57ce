package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.pipeline.action.ActionSource;
import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.server.ControllerService;
import dev.tagflow.server.Observability;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.server.pipeline.PipelineService;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The release pipeline of {@code tagflow server}: its flags and the service they make. */
final class ServerPipelineOptions {

  /** How many jobs of one pipeline run go at once. */
  private static final int MAX_JOBS = 4;

  @Option(
      names = "--actions-source",
      paramLabel = "<url>",
      description = {
        "Where workflows' remote actions (uses: owner/repo@ref) are fetched from:",
        "<url>/<owner>/<repo>.git (default: the settings' actionsSource, else https://github.com),",
        "or a URL with {owner} and {repo}",
        "in it; for this server's own Git server http://127.0.0.1:7070/git/{owner}-{repo}.git.",
        "Its credentials are the repositories' (docs/workflows.md, Actions)."
      })
  String actionsSource;

  @Option(
      names = "--max-runs",
      defaultValue = "4",
      paramLabel = "<n>",
      description =
          "How many pipeline runs go at once (default: ${DEFAULT-VALUE}); more wait their turn,"
              + " stored as queued, and start after a restart if the server stops first.")
  int maxRuns;

  /** Refuses a number of runs the server would not cope with. */
  void check() {
    if (maxRuns < 1 || maxRuns > 64) {
      throw TagflowException.invalidInput("--max-runs must be between 1 and 64, not " + maxRuns);
    }
  }

  /**
   * The pipeline, not started. Its {@code tagflow/promote} steps write environment repositories
   * with the server's own access, and an environment that comes after another asks the controller
   * whether that one was Healthy.
   *
   * @param promotions the writer of environment repositories, shared with the web UI's approvals
   * @param url the server's URL, once it listens
   */
  PipelineService pipeline(
      Path data,
      Optional<ServerSettings> file,
      ControllerService controller,
      Observability observability,
      FollowedRepositories followed,
      RepoCache cache,
      RemoteAccess remotes,
      MeterRegistry meters,
      EnvRepoWriter promotions,
      Supplier<URI> url) {
    ServerRunSources runSources =
        new ServerRunSources(data, controller.secrets(), followed, cache, url);
    return new PipelineService(
        data,
        new PipelineService.Parts(
            cache::mirrorPath,
            observability.runs(controller.runs()),
            controller.builtImages(),
            runSources,
            runSources,
            Optional.of(promotions),
            file.map(ServerSettings::pipeline).orElse(ServerSettings.Pipeline.DEFAULTS).builtIns(),
            Optional.of(
                new ActionSource(
                    data,
                    Optional.ofNullable(actionsSource)
                        .or(() -> file.flatMap(ServerSettings::actionsSource))
                        .orElse(ActionSource.DEFAULT_BASE),
                    remotes,
                    meters))),
        maxRuns,
        MAX_JOBS,
        Clock.systemUTC());
  }
}
