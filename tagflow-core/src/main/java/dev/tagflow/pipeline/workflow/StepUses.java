package dev.tagflow.pipeline.workflow;

import dev.tagflow.app.Suggestion;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a step's {@code uses:} into an {@link ActionRef}: a built-in, a local action, or a remote
 * one. Forms Tagflow cannot run are refused here, where they are written, with what to use instead:
 * Docker images ({@code docker://}), reusable workflows, and the actions known to need a Docker
 * daemon. Whether another remote action is a Docker container action ({@code runs.using: docker})
 * shows only in its {@code action.yml}, which the runner reads when it fetches the action.
 */
final class StepUses {

  /** {@code owner/repo[/path]@ref}, as GitHub defines the names. */
  private static final Pattern REMOTE =
      Pattern.compile("([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)((?:/[^@/]+)*)(?:@(.+))?");

  /** Actions that need a Docker daemon, by name, and what to use instead. */
  private static final Map<String, String> DOCKER_ACTIONS =
      Map.of(
          "docker/build-push-action",
          "it builds with a Docker daemon; build and push the image with tagflow/image (with:"
              + " {from, jar or directory, image, tags}), which needs no daemon",
          "docker/login-action",
          "registry credentials come from Tagflow's secrets (tagflow secret set), and"
              + " tagflow/image uses them; remove this step",
          "docker/setup-buildx-action",
          "tagflow/image builds images without Docker or Buildx; remove this step",
          "docker/setup-qemu-action",
          "tagflow/image builds images without Docker or QEMU; remove this step",
          "docker/setup-docker-action",
          "steps run without Docker on the Tagflow host; build images with tagflow/image");

  private final FileProblems problems;

  StepUses(FileProblems problems) {
    this.problems = problems;
  }

  Optional<ActionRef> read(Text uses, String path) {
    String value = uses.value().trim();
    String where = path + ".uses " + FileProblems.quoted(value);
    if (uses.hasExpression()) {
      problems.add(
          uses.at(),
          where + " holds an expression; GitHub does not evaluate expressions in uses: either");
      return Optional.empty();
    }
    if (value.regionMatches(true, 0, "docker://", 0, "docker://".length())) {
      problems.add(
          uses.at(),
          where
              + " runs a Docker image, which Tagflow does not do (steps run as processes on its"
              + " host); run the tool in a run: step, and build images with tagflow/image");
      return Optional.empty();
    }
    if (reusableWorkflow(value)) {
      problems.add(
          uses.at(),
          where
              + " names a workflow; reusable workflows are called from a job's uses:, and"
              + " Tagflow does not run them: copy its jobs into this workflow, or make the shared"
              + " steps a composite action");
      return Optional.empty();
    }
    if (value.startsWith("./")) {
      return local(uses, value, where);
    }
    Matcher m = REMOTE.matcher(value);
    if (!m.matches()) {
      problems.add(
          uses.at(),
          where
              + " is not an action: use owner/repo@ref, owner/repo/path@ref or ./path (e.g."
              + " actions/checkout@v4, ./.github/actions/build)");
      return Optional.empty();
    }
    String name = (m.group(1) + "/" + m.group(2)).toLowerCase(Locale.ROOT);
    String subPath = m.group(3).isEmpty() ? "" : m.group(3).substring(1);
    Optional<String> ref = Optional.ofNullable(m.group(4));
    if (DOCKER_ACTIONS.containsKey(name)) {
      problems.add(uses.at(), where + " is not supported: " + DOCKER_ACTIONS.get(name));
      return Optional.empty();
    }
    Optional<BuiltInAction> builtIn =
        BuiltInAction.named(subPath.isEmpty() ? name : name + "/" + subPath);
    if (builtIn.isPresent()) {
      if (ref.isEmpty() && name.startsWith("actions/")) {
        problems.add(uses.at(), where + " needs a version, as on GitHub: " + name + "@v4");
        return Optional.empty();
      }
      return Optional.of(new ActionRef.BuiltIn(builtIn.get(), ref, value));
    }
    if (name.startsWith("tagflow/")) {
      List<String> names =
          Arrays.stream(BuiltInAction.values()).map(BuiltInAction::action).toList();
      StringBuilder message = new StringBuilder(where + " is not one of Tagflow's actions");
      Suggestion.closest(name, names)
          .ifPresent(s -> message.append("; did you mean '").append(s).append("'?"));
      message.append(" (").append(String.join(", ", names)).append(")");
      problems.add(uses.at(), message.toString());
      return Optional.empty();
    }
    if (ref.isEmpty() || ref.get().isBlank()) {
      problems.add(uses.at(), where + " needs a version after @, as on GitHub: " + value + "@v1");
      return Optional.empty();
    }
    return Optional.of(new ActionRef.Remote(m.group(1), m.group(2), subPath, ref.get(), value));
  }

  private Optional<ActionRef> local(Text uses, String value, String where) {
    String path = value.substring(2);
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        problems.add(
            uses.at(),
            where + " leaves the repository ('..'); a local action is a directory in it");
        return Optional.empty();
      }
    }
    if (path.isEmpty() || path.contains("\\") || path.contains("@")) {
      problems.add(
          uses.at(), where + " is not a directory of the repository: use ./.github/actions/<name>");
      return Optional.empty();
    }
    return Optional.of(new ActionRef.Local(path.replaceAll("/+$", ""), value));
  }

  /** A path to a workflow file: {@code …/.github/workflows/x.yml[@ref]}. */
  private static boolean reusableWorkflow(String value) {
    String path = value.contains("@") ? value.substring(0, value.lastIndexOf('@')) : value;
    return path.contains(".github/workflows/") && (path.endsWith(".yml") || path.endsWith(".yaml"));
  }
}
