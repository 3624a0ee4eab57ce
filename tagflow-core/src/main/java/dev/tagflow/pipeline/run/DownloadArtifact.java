package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.expression.Glob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The built-in {@code actions/download-artifact} (v4): artifacts of this run, from its {@link
 * ArtifactStore}. With {@code name}, that artifact is extracted into {@code path} itself; without,
 * every artifact (or those {@code pattern} or {@code artifact-ids} select) goes into {@code
 * path/<name>}, or all into {@code path} with {@code merge-multiple}. {@code path} defaults to the
 * workspace. Output {@code download-path}. Another run's or repository's artifacts are refused.
 */
final class DownloadArtifact {

  private static final List<String> INPUTS =
      List.of(
          "name",
          "path",
          "pattern",
          "merge-multiple",
          "github-token",
          "repository",
          "run-id",
          "artifact-ids");

  /** How much one artifact may write: a zip that claims more is refused. */
  static final long MAX_BYTES = 64L * 1024 * 1024 * 1024;

  private DownloadArtifact() {}

  static Map<String, String> run(BuiltInStep step) {
    step.known("actions/download-artifact", INPUTS);
    String runId = step.input("run-id", "");
    if (!runId.isEmpty() && !runId.equals(step.scope().request().runId())) {
      throw new StepFailure(
          "actions/download-artifact: artifacts of another run (run-id "
              + runId
              + ") are not supported by this runner; download within the run that uploaded them");
    }
    String repository = step.input("repository", "");
    if (!repository.isEmpty()
        && !repository.equalsIgnoreCase(step.scope().request().repository())) {
      throw new StepFailure(
          "actions/download-artifact: artifacts of another repository ("
              + repository
              + ") are not supported by this runner");
    }
    String name = step.input("name", "");
    String ids = step.input("artifact-ids", "");
    if (!name.isEmpty() && !ids.isEmpty()) {
      throw new StepFailure(
          "Inputs 'name' and 'artifact-ids' cannot be used together. Please specify only one.");
    }
    String pathInput = step.input("path", "");
    Path destination = destination(step, pathInput);
    boolean merge = step.flag("merge-multiple", false);
    ArtifactStore store = new ArtifactStore(step.scope().directory());
    if (!name.isEmpty()) {
      ArtifactStore.Artifact artifact =
          store
              .find(UploadArtifact.checkedName(name))
              .orElseThrow(
                  () ->
                      new StepFailure(
                          "Unable to download artifact(s): Artifact not found for name: "
                              + name
                              + " (this run has: "
                              + names(store.list())
                              + "); upload it in a job this one needs"));
      extract(step, artifact, destination);
      step.log("Artifact download completed successfully.");
      return Map.of("download-path", destination.toString());
    }
    String pattern = step.input("pattern", "");
    List<String> wantedIds =
        ids.isEmpty() ? List.of() : Arrays.stream(ids.split(",")).map(String::strip).toList();
    List<ArtifactStore.Artifact> chosen = new ArrayList<>();
    for (ArtifactStore.Artifact artifact : store.list()) {
      if (!pattern.isEmpty() && !Glob.matchesName(pattern, artifact.name())) {
        continue;
      }
      if (!wantedIds.isEmpty() && !wantedIds.contains(Long.toString(artifact.id()))) {
        continue;
      }
      chosen.add(artifact);
    }
    if (!wantedIds.isEmpty() && chosen.size() < wantedIds.size()) {
      throw new StepFailure(
          "Unable to download artifact(s): not every artifact id of "
              + wantedIds
              + " is in this run (it has: "
              + names(store.list())
              + ")");
    }
    for (ArtifactStore.Artifact artifact : chosen) {
      extract(step, artifact, merge ? destination : destination.resolve(artifact.name()));
    }
    step.log("Total of " + chosen.size() + " artifact(s) downloaded");
    step.log("Download artifact has finished successfully");
    return Map.of("download-path", destination.toString());
  }

  private static void extract(BuiltInStep step, ArtifactStore.Artifact artifact, Path into) {
    int written =
        FileArchive.extract(
            artifact.archive(),
            name -> new FileArchive.Place(into, into.resolve(name)),
            new FileArchive.Limits(PathPatterns.MAX_ENTRIES, MAX_BYTES));
    step.log(
        "Artifact "
            + artifact.name()
            + " (ID "
            + artifact.id()
            + ", "
            + written
            + " file(s)) extracted into "
            + into);
  }

  private static Path destination(BuiltInStep step, String path) {
    if (path.isEmpty()) {
      return step.workspace();
    }
    if (path.equals("~") || path.startsWith("~/")) {
      return Path.of(step.home() + path.substring(1)).normalize();
    }
    return step.workspace().resolve(path).normalize();
  }

  private static String names(List<ArtifactStore.Artifact> artifacts) {
    return artifacts.isEmpty()
        ? "no artifacts"
        : String.join(", ", artifacts.stream().map(ArtifactStore.Artifact::name).toList());
  }
}
