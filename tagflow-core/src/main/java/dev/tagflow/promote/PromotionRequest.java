package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to promote where: a release into environments of one environment repository, with the values
 * to set in each {@code environments/<env>/values.yaml}.
 *
 * @param repository the environment repository's URL (credentials come from the repository
 *     configuration, never from here)
 * @param release the release
 * @param environments the environments, in the order given
 * @param set the values paths and their values; {@code image.tag} = the release's version when
 *     empty
 * @param mode how the change is written (an environment whose policy asks for approval always gets
 *     a promotion request)
 * @param mainBranch the environment repository's main branch, where the policy is read
 */
public record PromotionRequest(
    String repository,
    ReleaseRef release,
    List<String> environments,
    Map<YamlPath, String> set,
    Mode mode,
    String mainBranch) {

  /** The branch every environment repository is read from unless told otherwise. */
  public static final String MAIN = "main";

  /** How a promotion is written. */
  public enum Mode {
    /** A commit on the main branch. */
    COMMIT,
    /** A branch {@code promote/<env>/<version>} and a promotion request people approve. */
    PULL_REQUEST,
    /** A push to the environment's branch {@code env/<name>}. */
    BRANCH;

    /**
     * {@code commit}, {@code pull-request} or {@code branch}, as the CLI and workflows write it.
     */
    public static Mode parse(String text) {
      return switch (text) {
        case "commit" -> COMMIT;
        case "pull-request" -> PULL_REQUEST;
        case "branch" -> BRANCH;
        default ->
            throw TagflowException.invalidInput(
                "'" + text + "' is not a promotion mode; use commit, pull-request or branch");
      };
    }

    public String displayName() {
      return name().toLowerCase().replace('_', '-');
    }
  }

  public PromotionRequest {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(release, "release");
    environments = List.copyOf(environments);
    if (environments.isEmpty()) {
      throw TagflowException.invalidInput("name at least one environment to promote to");
    }
    if (environments.stream().distinct().count() != environments.size()) {
      throw TagflowException.invalidInput("an environment is named twice: " + environments);
    }
    set =
        set.isEmpty()
            ? Map.of(YamlPath.parse("image.tag"), release.version())
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(set));
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(mainBranch, "mainBranch");
  }

  /** A request with the defaults: {@code image.tag} = version, commit mode, branch main. */
  public static PromotionRequest of(String repository, ReleaseRef release, String... environments) {
    return new PromotionRequest(
        repository, release, List.of(environments), Map.of(), Mode.COMMIT, MAIN);
  }

  public PromotionRequest withSet(Map<YamlPath, String> values) {
    return new PromotionRequest(repository, release, environments, values, mode, mainBranch);
  }

  public PromotionRequest withMode(Mode value) {
    return new PromotionRequest(repository, release, environments, set, value, mainBranch);
  }
}
