package dev.tagflow.pipeline.run;

import dev.tagflow.TagflowException;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.promote.PromotionRequest;
import dev.tagflow.promote.PromotionResult;
import dev.tagflow.promote.ReleaseRef;
import dev.tagflow.promote.YamlPath;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The built-in {@code tagflow/promote}: a {@link PromotionRequest} made from the run (its tag,
 * version, commit) and the step's {@code with:}, handed to the runner's {@link EnvRepoWriter}.
 * Outputs per environment {@code <env>-commit}, {@code <env>-request} or {@code <env>-refused}; a
 * refusal fails the step naming the policy rule.
 */
final class PromoteStep {

  static final String ACTION = "tagflow/promote";

  private static final Set<String> KNOWN =
      Set.of(
          "repository",
          "environments",
          "set",
          "mode",
          "application",
          "image",
          "digest",
          "author",
          "main-branch");

  private PromoteStep() {}

  /**
   * Promotes; returns the step's outputs.
   *
   * @throws StepFailure a bad input, no writer configured, a refusal (with its rule), or the
   *     writer's failure
   */
  static Map<String, String> run(
      Map<String, String> with,
      RunRequest request,
      Optional<EnvRepoWriter> writer,
      Consumer<String> log) {
    for (String input : with.keySet()) {
      if (!KNOWN.contains(input)) {
        throw new StepFailure(ACTION + " has no input '" + input + "' (known: " + KNOWN + ")");
      }
    }
    if (writer.isEmpty()) {
      throw new StepFailure(
          ACTION
              + " cannot run: this runner has no environment repository writer configured (give"
              + " the PipelineRunner an EnvRepoWriter; tagflow workflow run has none yet)");
    }
    String repository = with.getOrDefault("repository", "").strip();
    if (repository.isEmpty()) {
      throw new StepFailure(ACTION + " needs 'repository': the environment repository's URL");
    }
    List<String> environments = ImageStep.words(with.getOrDefault("environments", ""));
    if (environments.isEmpty()) {
      throw new StepFailure(ACTION + " needs 'environments': dev, staging");
    }
    PromotionRequest promotion;
    try {
      ReleaseRef release = release(with, request);
      promotion =
          new PromotionRequest(
                  repository,
                  release,
                  environments,
                  Map.of(),
                  PromotionRequest.Mode.parse(with.getOrDefault("mode", "commit").strip()),
                  with.getOrDefault("main-branch", PromotionRequest.MAIN).strip())
              .withSet(values(with.getOrDefault("set", "")));
    } catch (TagflowException e) {
      throw new StepFailure(ACTION + ": " + e.getMessage());
    }
    log.accept(
        "promoting "
            + promotion.release().name()
            + " "
            + promotion.release().source()
            + " ("
            + promotion.release().version()
            + ") to "
            + String.join(", ", environments)
            + " as "
            + promotion.mode().displayName());
    PromotionResult result;
    try {
      result = writer.get().promote(promotion);
    } catch (TagflowException e) {
      throw new StepFailure(ACTION + " failed: " + e.getMessage());
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    StringBuilder refusals = new StringBuilder();
    for (PromotionResult.Outcome outcome : result.outcomes()) {
      String env = outcome.environment();
      switch (outcome) {
        case PromotionResult.Written w -> {
          outputs.put(env + "-commit", w.commit());
          log.accept(env + ": " + w.summary() + " on " + w.branch() + " at " + w.commit());
        }
        case PromotionResult.Unchanged u -> {
          outputs.put(env + "-commit", u.commit());
          log.accept(env + ": already there on " + u.branch() + " at " + u.commit());
        }
        case PromotionResult.Requested r -> {
          outputs.put(env + "-commit", r.commit());
          outputs.put(env + "-request", Long.toString(r.requestId()));
          log.accept(
              env
                  + ": promotion request "
                  + r.requestId()
                  + " on "
                  + r.branch()
                  + " waits for "
                  + r.requiredApprovals()
                  + " approvals");
        }
        case PromotionResult.Refused f -> {
          String rule = f.rule().orElse("");
          String line =
              env + " refused" + (rule.isEmpty() ? "" : " by " + rule) + ": " + f.message();
          log.accept(line);
          refusals.append(refusals.isEmpty() ? "" : "; ").append(line);
        }
      }
    }
    if (result.refused()) {
      throw new StepFailure(ACTION + ": nothing written; " + refusals);
    }
    return outputs;
  }

  /** The release of the run: its tag (or branch build), commit and the image given. */
  static ReleaseRef release(Map<String, String> with, RunRequest request) {
    String application = with.getOrDefault("application", "").strip();
    if (application.isEmpty()) {
      int slash = request.repository().lastIndexOf('/');
      application = request.repository().substring(slash + 1);
    }
    RefPush ref = request.event().ref();
    ReleaseRef release =
        ref.kind() == RefPush.Kind.TAG
            ? ReleaseRef.ofTag(application, ref.name(), request.commit())
            : new ReleaseRef(
                application,
                new ReleaseRef.Branch(ref.name()),
                ref.name().replaceAll("[^A-Za-z0-9._+-]", "-")
                    + "-"
                    + request.commit().substring(0, 7),
                request.commit(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    String image = with.getOrDefault("image", "").strip();
    String digest = with.getOrDefault("digest", "").strip();
    if (!digest.isEmpty() && !digest.matches("sha256:[0-9a-f]{64}")) {
      throw new StepFailure(
          ACTION + ": digest '" + digest + "' is not sha256:<64 hex>; pass an image step's output");
    }
    if (!image.isEmpty() || !digest.isEmpty()) {
      release =
          release.withImage(
              image.isEmpty() ? application : image,
              digest.isEmpty() ? Optional.empty() : Optional.of(digest));
    }
    String author = with.getOrDefault("author", "").strip();
    return author.isEmpty() ? release : release.withAuthor(author);
  }

  /**
   * {@code set}: one {@code path: value} (or {@code path=value}) a line; empty means {@code
   * image.tag} = the version. (GitHub's {@code with:} values are strings, so a map is written as
   * lines: {@code set: |} then {@code image.tag: 1.2.3}.)
   */
  static Map<YamlPath, String> values(String text) {
    Map<YamlPath, String> values = new LinkedHashMap<>();
    int number = 0;
    for (String line : text.split("\r?\n")) {
      number++;
      String stripped = line.strip();
      if (stripped.isEmpty() || stripped.startsWith("#")) {
        continue;
      }
      int colon = stripped.indexOf(": ");
      int equals = stripped.indexOf('=');
      int at = colon >= 0 && (equals < 0 || colon < equals) ? colon : equals;
      if (at <= 0) {
        throw new StepFailure(
            ACTION
                + ": set line "
                + number
                + " '"
                + stripped
                + "' is not 'path: value'; write for example image.tag: 1.2.3");
      }
      String value = stripped.substring(at + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      values.put(YamlPath.parse(stripped.substring(0, at).strip()), value);
    }
    return values;
  }
}
