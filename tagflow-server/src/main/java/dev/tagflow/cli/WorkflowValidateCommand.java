package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Problem;
import dev.tagflow.pipeline.workflow.Job;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.pipeline.workflow.Workflow;
import dev.tagflow.pipeline.workflow.WorkflowLoader;
import dev.tagflow.pipeline.workflow.WorkflowSet;
import dev.tagflow.source.RepoEntry;
import dev.tagflow.source.Revision;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow workflow validate <dir>}: loads the workflows of a checkout as a tag push would,
 * and prints what would start them, or every problem with {@code file:line:column}; with {@code
 * --repo} the workflows of a revision of a repository Tagflow knows, read from Git.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check the workflows of a directory: the .yml/.yaml files in .github/workflows and"
          + " .tagflow/workflows. Prints each workflow, its jobs and what starts it; or every"
          + " problem as file:line:column: message, and exits with 2.",
      "With --repo, the workflows of a revision of a repository added with 'tagflow repo add',"
          + " read from Git without a checkout; for a tag, also which of them its push starts.",
      "Docker container actions, services, container and reusable workflows are refused, with"
          + " what to use instead (tagflow/image for images). See docs/workflows.md."
    })
final class WorkflowValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin OutputFormat output;
  @Mixin DataDirOption dataDir;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "<dir>",
      description = "The repository's directory (a checkout), or one workflow file.")
  Path dir;

  @Option(
      names = "--repo",
      paramLabel = "<repo>",
      description = "A repository's name or URL (tagflow repo add), instead of <dir>.")
  String repo;

  @Option(
      names = "--revision",
      paramLabel = "<revision>",
      defaultValue = "HEAD",
      description = "With --repo: a branch, tag or commit (default: ${DEFAULT-VALUE}).")
  String revision;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    WorkflowLoader loader = new WorkflowLoader();
    WorkflowSet set;
    Optional<String> tag = Optional.empty();
    if ((dir == null) == (repo == null)) {
      throw TagflowException.invalidInput("give a directory or --repo <repo>, one of them");
    }
    if (repo != null) {
      try (RepoContext repos = new RepoContext(dataDir.resolve())) {
        RepoEntry entry = repos.repo(repo);
        repos.cache().fetch(entry.url());
        Revision resolved = repos.cache().resolve(entry.url(), revision);
        out.println(
            "Workflows of "
                + entry.name()
                + " at "
                + revision
                + " ("
                + resolved.shortCommit()
                + "):");
        set = loader.load(repos.cache().tree(entry.url(), resolved, ""));
        tag = resolved.tag();
      }
    } else if (Files.isRegularFile(dir)) {
      set = loader.loadFile(dir);
    } else {
      set = loader.load(dir);
      if (set.workflows().isEmpty() && set.problems().isEmpty()) {
        throw TagflowException.invalidInput(
            "no workflow files in "
                + dir
                + " (Tagflow reads *.yml and *.yaml in .github/workflows and"
                + " .tagflow/workflows)");
      }
    }
    if (output.json()) {
      output.printJson(out, json(set));
    } else {
      print(out, set);
      tag.ifPresent(t -> printPush(out, set, RefPush.tag(t)));
    }
    if (!set.problems().isEmpty()) {
      for (Problem problem : set.problems()) {
        err.println(problem);
      }
      long files = set.problems().stream().map(Problem::file).distinct().count();
      err.println(
          "tagflow: "
              + count(set.problems().size(), "problem")
              + " in "
              + count((int) files, "file")
              + "; fix them and run again");
      err.flush();
      return ExitCode.INVALID_INPUT;
    }
    return ExitCode.OK;
  }

  private static void print(PrintWriter out, WorkflowSet set) {
    if (set.workflows().isEmpty()) {
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Workflow w : set.workflows()) {
      rows.add(
          List.of(
              w.file(), w.displayName(), String.join(", ", w.jobs().keySet()), w.on().describe()));
    }
    OutputFormat.printTable(out, List.of("WORKFLOW", "NAME", "JOBS", "STARTS ON"), rows);
    int jobs = set.workflows().stream().mapToInt(w -> w.jobs().size()).sum();
    int steps =
        set.workflows().stream()
            .flatMap(w -> w.jobs().values().stream())
            .mapToInt(j -> j.steps().size())
            .sum();
    out.println(
        count(set.workflows().size(), "workflow")
            + ", "
            + count(jobs, "job")
            + ", "
            + count(steps, "step")
            + (set.refused().isEmpty()
                ? ": valid."
                : " valid; " + count(set.refused().size(), "file") + " refused."));
  }

  /** Which workflows a push of the tag starts, and which it would but cannot. */
  private static void printPush(PrintWriter out, WorkflowSet set, RefPush push) {
    List<String> started = set.triggeredBy(push).stream().map(Workflow::file).toList();
    out.println(
        "A push of tag "
            + push.name()
            + " starts "
            + (started.isEmpty() ? "no workflow" : String.join(", ", started))
            + ".");
    List<String> refused = set.problemsFor(push).stream().map(Problem::file).distinct().toList();
    if (!refused.isEmpty()) {
      out.println("It would also start, but they are refused: " + String.join(", ", refused) + ".");
    }
  }

  private static Map<String, Object> json(WorkflowSet set) {
    Map<String, Object> json = new LinkedHashMap<>();
    List<Map<String, Object>> workflows = new ArrayList<>();
    for (Workflow w : set.workflows()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("file", w.file());
      one.put("name", w.displayName());
      one.put("events", w.on().events());
      one.put("startsOn", w.on().describe());
      List<Map<String, Object>> jobs = new ArrayList<>();
      for (Job job : w.jobs().values()) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", job.id());
        j.put("needs", job.needs());
        j.put("steps", job.steps().size());
        jobs.add(j);
      }
      one.put("jobs", jobs);
      workflows.add(one);
    }
    json.put("workflows", workflows);
    json.put(
        "problems",
        set.problems().stream()
            .map(
                p -> {
                  Map<String, Object> problem = new LinkedHashMap<>();
                  problem.put("file", p.file());
                  problem.put("line", p.line());
                  problem.put("column", p.column());
                  problem.put("message", p.message());
                  return problem;
                })
            .toList());
    return json;
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }
}
