package dev.tagflow.cli;

import dev.tagflow.NodeText;
import dev.tagflow.PlainJson;
import dev.tagflow.store.BuiltImage;
import dev.tagflow.store.RunRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** {@code tagflow runs show <id>}: a run with its jobs, steps, conclusions and outputs. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Show a run: its ref, commit and status, and once it ended its jobs and steps with their"
            + " conclusions and outputs (masked as in the log), or why it was refused; the images"
            + " its tagflow/image steps pushed, with their digests.")
final class RunsShowCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin DatabaseOption database;
  @Mixin OutputFormat output;

  @Parameters(index = "0", paramLabel = "<id>", description = "The run (tagflow runs list).")
  String runId;

  @Override
  public Integer call() {
    try (RunsContext context = new RunsContext(dataDir.resolve(), database.database)) {
      RunRecord run = context.run(runId);
      PrintWriter out = spec.commandLine().getOut();
      JsonNode result = run.result().map(RunsShowCommand::parse).orElse(null);
      List<BuiltImage> images = context.images().ofRun(run.runId());
      if (output.json()) {
        Map<String, Object> json = RunsListCommand.json(run);
        json.put("result", result);
        json.put("images", images.stream().map(ReleasesCommand::json).toList());
        output.printJson(out, json);
        return ExitCode.OK;
      }
      out.println("run:        " + run.runId());
      out.println("repository: " + run.repository());
      out.println("workflow:   " + run.workflow());
      out.println("ref:        " + run.ref());
      out.println("commit:     " + run.commit());
      out.println("status:     " + RunsListCommand.status(run));
      out.println("started:    " + run.started());
      run.finished().ifPresent(f -> out.println("finished:   " + f));
      out.println("log:        " + run.log());
      for (BuiltImage image : images) {
        out.println(
            "image:      "
                + image.image()
                + "@"
                + image.digest()
                + " (tags "
                + String.join(", ", image.tags())
                + ")");
      }
      if (result == null) {
        return ExitCode.OK;
      }
      for (JsonNode reason : result.path("refused")) {
        out.println("refused:    " + NodeText.of(reason));
      }
      if (result.has("error")) {
        out.println("error:      " + NodeText.of(result.path("error")));
      }
      for (JsonNode job : result.path("jobs")) {
        out.println();
        out.println(
            "job "
                + NodeText.of(job.path("key"))
                + ": "
                + NodeText.of(job.path("conclusion"))
                + message(job));
        for (JsonNode step : job.path("steps")) {
          out.println(
              "  step "
                  + step.path("index").asInt()
                  + " "
                  + NodeText.of(step.path("name"))
                  + ": "
                  + NodeText.of(step.path("conclusion"))
                  + (step.has("exitCode") ? " (exit " + step.path("exitCode").asInt() + ")" : "")
                  + message(step));
          outputs(out, "    ", step);
        }
        outputs(out, "  ", job);
      }
      if (!result.path("artifacts").isEmpty()) {
        out.println();
      }
      for (JsonNode artifact : result.path("artifacts")) {
        out.println(
            "artifact "
                + NodeText.of(artifact.path("name"))
                + " (id "
                + artifact.path("id").asLong()
                + ", "
                + artifact.path("files").asInt()
                + " files, "
                + artifact.path("size").asLong()
                + " bytes, from job "
                + NodeText.of(artifact.path("job"))
                + "): "
                + NodeText.of(artifact.path("path")));
      }
      return ExitCode.OK;
    }
  }

  private static String message(JsonNode node) {
    String message = node.path("message").asString("");
    return message.isEmpty() ? "" : " — " + message;
  }

  private static void outputs(PrintWriter out, String indent, JsonNode node) {
    node.path("outputs")
        .properties()
        .forEach(
            e -> out.println(indent + "output " + e.getKey() + "=" + NodeText.of(e.getValue())));
  }

  private static JsonNode parse(String text) {
    try {
      return PlainJson.MAPPER.readTree(text);
    } catch (JacksonException e) { // an IOException in Jackson 2, reported as one
      throw new UncheckedIOException(
          "the run's stored result is not JSON", new IOException(e.getMessage(), e));
    }
  }
}
