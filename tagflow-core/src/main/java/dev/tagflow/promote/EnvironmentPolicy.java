package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The policy of an environment repository ({@code environments/policy.yaml}): its environments in
 * order, each with the releases it takes. Read with {@link PolicyReader}.
 *
 * @param file where it was read from, for messages
 */
public record EnvironmentPolicy(String file, List<Environment> environments) {

  /** Where the policy lives in an environment repository. */
  public static final String PATH = "environments/policy.yaml";

  public EnvironmentPolicy {
    environments = List.copyOf(environments);
  }

  public Optional<Environment> environment(String name) {
    return environments.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * The environment by name.
   *
   * @throws TagflowException (INVALID_INPUT) naming the environments the policy has
   */
  public Environment require(String name) {
    return environment(name)
        .orElseThrow(
            () ->
                TagflowException.invalidInput(
                    "there is no environment '"
                        + name
                        + "' in "
                        + file
                        + "; it has "
                        + environments.stream()
                            .map(Environment::name)
                            .collect(Collectors.joining(", "))));
  }

  /** Whether the environment takes the release, and by which rule. */
  public PolicyVerdict check(Environment environment, ReleaseRef release) {
    List<String> reasons = new ArrayList<>();
    Optional<AcceptRule> closest = Optional.empty();
    for (AcceptRule rule : environment.accept()) {
      Optional<String> refusal = rule.refusal(release.source());
      if (refusal.isEmpty()) {
        return new PolicyVerdict.Accepted(environment, rule);
      }
      boolean patternMatched =
          rule.branches() == (release.source() instanceof ReleaseRef.Branch)
              && rule.pattern().matches(release.source().name());
      if (patternMatched && closest.isEmpty()) {
        closest = Optional.of(rule);
      }
      reasons.add("rule " + rule.where() + " (" + rule.describe() + "): " + refusal.get());
    }
    String message =
        closest
            .map(
                rule ->
                    release.source()
                        + " is refused for "
                        + environment.name()
                        + " by the rule "
                        + rule.describe()
                        + " at "
                        + rule.where()
                        + ": "
                        + rule.refusal(release.source()).orElseThrow())
            .orElseGet(
                () ->
                    release.source()
                        + " is refused for "
                        + environment.name()
                        + ": no accept rule at "
                        + environment.where()
                        + " takes it");
    Optional<String> closestWhere = closest.map(AcceptRule::where);
    List<String> others =
        reasons.stream()
            .filter(r -> closestWhere.map(w -> !r.startsWith("rule " + w + " ")).orElse(true))
            .toList();
    if (!others.isEmpty()) {
      message += closest.isPresent() ? "; other rules: " : " (";
      message += String.join("; ", others) + (closest.isPresent() ? "" : ")");
    }
    message += ". Nothing was written; release a tag the policy takes, or change " + file;
    return new PolicyVerdict.Refused(environment, closest, message);
  }
}
