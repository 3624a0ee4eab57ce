package dev.tagflow.pipeline.run;

import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.pipeline.workflow.WorkflowLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real Git repository with a tagged commit and a data directory, for tests that run workflows
 * through a real {@link PipelineRunner} (real processes), several runs sharing the data directory.
 */
final class TestRuns {

  final Path data;
  final Path repository;
  final String commit;
  final List<LogLine> lines = new CopyOnWriteArrayList<>();
  private final BuiltInSettings settings;

  TestRuns(Path dir, BuiltInSettings settings) throws IOException {
    this.settings = settings;
    data = Files.createDirectories(dir.resolve("data"));
    GitWorkTree.open(dir).git("init", "-q", "-b", "main", "app");
    repository = dir.resolve("app");
    GitWorkTree git = GitWorkTree.open(repository);
    Files.writeString(repository.resolve("VERSION"), "from the commit\n");
    Files.writeString(repository.resolve("pom.xml"), "<project/>\n");
    git.git("add", "-A");
    git.git("commit", "-q", "-m", "app");
    git.git("tag", "v1.2.3");
    commit = git.git("rev-parse", "HEAD").strip();
  }

  RunResult run(String id, String yaml) throws InterruptedException {
    return new PipelineRunner(
            data,
            4,
            java.util.Optional.empty(),
            java.time.Clock.systemUTC(),
            java.util.Optional.empty(),
            settings)
        .run(
            new RunRequest(
                id,
                new WorkflowLoader().load(".github/workflows/release.yml", yaml),
                RunEvent.push(RefPush.tag("v1.2.3")),
                "shop/app",
                repository.toString(),
                commit,
                Map.of(),
                Map.of()),
            lines::add);
  }

  /** The lines of a job's step (from 0) in the run's log, as the log file has them. */
  static String log(RunResult result) throws IOException {
    return Files.readString(result.log());
  }
}
