package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Problem;
import dev.tagflow.pipeline.action.ActionSource;
import dev.tagflow.pipeline.run.BuiltInSettings;
import dev.tagflow.pipeline.run.Conclusion;
import dev.tagflow.pipeline.run.JobResult;
import dev.tagflow.pipeline.run.PipelineRunner;
import dev.tagflow.pipeline.run.RunEvent;
import dev.tagflow.pipeline.run.RunHandle;
import dev.tagflow.pipeline.run.RunRequest;
import dev.tagflow.pipeline.run.RunResult;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.pipeline.workflow.Workflow;
import dev.tagflow.pipeline.workflow.WorkflowLoader;
import dev.tagflow.pipeline.workflow.WorkflowSet;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoRegistry;
import dev.tagflow.source.TreeReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow workflow run <dir> --tag v1.2.3}: runs, on this machine, the workflows a push of
 * that tag (or branch) would start, at the commit it names, and follows their log.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the workflows of a local Git repository that a push of --tag (or --branch) would"
          + " start, at the commit the ref names (HEAD when the tag does not exist yet), and"
          + " print their log as it is written. Steps run as processes on this machine.",
      "The run's directory and log file are in <data-dir>/runs/<run id>. Exits 0 when every"
          + " run succeeded, 1 when one did not, 2 when a workflow is invalid.",
      "See docs/workflows.md (Running)."
    })
final class WorkflowRunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption data;

  @Parameters(index = "0", paramLabel = "<dir>", description = "The repository (a Git checkout).")
  Path dir;

  @ArgGroup(multiplicity = "1")
  Ref ref;

  static final class Ref {
    @Option(names = "--tag", paramLabel = "<tag>", description = "Run as for a push of this tag.")
    String tag;

    @Option(
        names = "--branch",
        paramLabel = "<branch>",
        description = "Run as for a push of this branch.")
    String branch;
  }

  @Option(
      names = "--workflow",
      paramLabel = "<file>",
      description = "Only this workflow file (.github/workflows/release.yml).")
  String only;

  @Option(
      names = "--secret",
      paramLabel = "<NAME>",
      description =
          "A secret the workflow may read as secrets.<NAME>, its value taken from the environment"
              + " variable of that name (never from the command line). Repeatable.")
  List<String> secrets = List.of();

  @Option(
      names = "--parallel",
      paramLabel = "<n>",
      defaultValue = "4",
      description = "How many jobs may run at once (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(
      names = "--jdk-folder",
      paramLabel = "<dir>",
      description =
          "A JDK, or a folder of JDKs, that actions/setup-java may choose from besides"
              + " JAVA_HOME, /usr/lib/jvm and the other usual places. Repeatable.")
  List<Path> jdkFolders = List.of();

  @Option(
      names = "--cache-limit-mb",
      paramLabel = "<mb>",
      defaultValue = "10240",
      description =
          "The most actions/cache keeps per repository in <data>/caches, least recently used"
              + " entries removed first (default: ${DEFAULT-VALUE}, GitHub's 10 GB).")
  long cacheLimitMb;

  @Option(
      names = "--actions-source",
      paramLabel = "<url>",
      defaultValue = ActionSource.DEFAULT_BASE,
      description = {
        "Where remote actions (uses: owner/repo@ref) are fetched from: <url>/<owner>/<repo>.git",
        "(default: ${DEFAULT-VALUE}), or a URL with {owner} and {repo} in it, such as a Tagflow",
        "server's Git server: http://127.0.0.1:7070/git/{owner}-{repo}.git. Credentials are those",
        "'tagflow repo add' keeps for the URL. Fetched actions are cached by commit."
      })
  String actionsSource;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RefPush push = ref.tag != null ? RefPush.tag(ref.tag) : RefPush.branch(ref.branch);
    Map<String, String> secretValues = new LinkedHashMap<>();
    for (String name : secrets) {
      String value = System.getenv(name);
      if (value == null) {
        throw TagflowException.invalidInput(
            "--secret " + name + ": there is no environment variable " + name + " to read it from");
      }
      secretValues.put(name, value);
    }
    Path gitDir = dir.resolve(".git");
    if (!Files.isDirectory(gitDir)) {
      throw TagflowException.invalidInput(
          dir + " is not a Git checkout (no .git directory); run it in the repository's directory");
    }
    String commit;
    List<Workflow> workflows;
    try (Repository repository = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).build()) {
      ObjectId id = repository.resolve(push.ref() + "^{commit}");
      if (id == null) {
        id = repository.resolve("HEAD^{commit}");
        if (id == null) {
          throw TagflowException.invalidInput(dir + " has no commit yet");
        }
        err.println(
            "tagflow: "
                + push.ref()
                + " is not in "
                + dir
                + "; running HEAD "
                + id.name()
                + " as if it were");
      }
      commit = id.name();
      WorkflowSet set =
          new WorkflowLoader().load(new TreeReader(repository, dir.toString(), commit, ""));
      List<Problem> problems = set.problemsFor(push);
      if (!problems.isEmpty()) {
        problems.forEach(err::println);
        err.println("tagflow: the workflows have problems; fix them and run again");
        err.flush();
        return ExitCode.INVALID_INPUT;
      }
      workflows =
          set.triggeredBy(push).stream()
              .filter(w -> only == null || w.file().equals(only))
              .toList();
    }
    if (workflows.isEmpty()) {
      throw TagflowException.invalidInput(
          "no workflow "
              + (only == null ? "" : only + " ")
              + "of "
              + commit
              + " starts on a push of "
              + push.ref()
              + " (tagflow workflow validate "
              + dir
              + " shows what starts each)");
    }
    if (cacheLimitMb < 1) {
      err.println("tagflow: --cache-limit-mb must be at least 1, not " + cacheLimitMb);
      return 2;
    }
    RepoRegistry registry = new RepoRegistry(data.resolve().resolve("repositories.yaml"));
    PipelineRunner runner =
        new PipelineRunner(
            data.resolve(),
            parallel,
            Optional.empty(),
            Clock.systemUTC(),
            Optional.empty(),
            new BuiltInSettings(jdkFolders, cacheLimitMb * 1024 * 1024),
            new ActionSource(
                data.resolve(),
                actionsSource,
                new RemoteAccess(
                    registry::credentialsFor, Duration.ofSeconds(60), new SimpleMeterRegistry())));
    boolean allSucceeded = true;
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
    int n = 0;
    for (Workflow workflow : workflows) {
      RunRequest request =
          new RunRequest(
              "local-" + stamp + "-" + ++n,
              workflow,
              RunEvent.push(push),
              "local/" + dir.toAbsolutePath().normalize().getFileName(),
              gitDir.toAbsolutePath().toString(),
              commit,
              secretValues,
              Map.of());
      RunHandle handle =
          runner.start(
              request,
              line -> {
                out.println(line.format());
                out.flush();
              });
      Thread stop = new Thread(() -> handle.cancel("interrupted (Ctrl-C)"));
      Runtime.getRuntime().addShutdownHook(stop);
      RunResult result;
      try {
        result = handle.await();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException e) {
          // the JVM is stopping: the hook is cancelling the run
        }
      }
      print(out, result);
      allSucceeded &= result.conclusion() == Conclusion.SUCCESS;
    }
    return allSucceeded ? ExitCode.OK : ExitCode.FAILED;
  }

  private static void print(PrintWriter out, RunResult result) {
    out.println();
    out.println(
        result.workflow() + ": " + result.conclusion().word() + " (run " + result.runId() + ")");
    for (JobResult job : result.jobs()) {
      out.println(
          "  "
              + job.key()
              + ": "
              + job.conclusion().word()
              + (job.message().isEmpty() ? "" : " — " + job.message()));
    }
    out.println("log: " + result.log());
    out.flush();
  }
}
