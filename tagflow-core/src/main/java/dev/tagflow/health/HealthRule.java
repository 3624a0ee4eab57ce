package dev.tagflow.health;

import dev.tagflow.GroupKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A project's own health check for one group and kind, written as data: the first case whose
 * matches all hold gives the verdict, else {@code otherwise}.
 *
 * <pre>{@code
 * group: cert-manager.io
 * kind: Certificate
 * cases:
 *   - when: [{condition: Ready, status: "True"}]
 *     health: Healthy
 *   - when: [{condition: Ready, status: "False", reason: Failed}]
 *     health: Degraded
 *   - when: [{field: status.phase, equals: Error}]
 *     health: Degraded
 * otherwise: Progressing
 * }</pre>
 *
 * @param target the group and kind the rule judges
 * @param cases tried in order
 * @param otherwise the verdict when no case matches
 */
public record HealthRule(GroupKind target, List<Case> cases, Health otherwise)
    implements HealthCheck {

  public HealthRule {
    Objects.requireNonNull(target, "target");
    cases = List.copyOf(cases);
    Objects.requireNonNull(otherwise, "otherwise");
  }

  /** Matches that must all hold for {@code health} to be the verdict. */
  public record Case(List<Match> when, Health health) {
    public Case {
      when = List.copyOf(when);
      Objects.requireNonNull(health, "health");
    }
  }

  /** One thing a case looks at; a match explains itself for the verdict's message. */
  public sealed interface Match permits ConditionMatch, FieldMatch {
    /** Why it holds, or empty when it does not. */
    Optional<String> explain(KubeObject object);
  }

  /**
   * A condition of a type with a status and, when given, a reason.
   *
   * @param reason empty to accept any reason
   */
  public record ConditionMatch(String type, String status, Optional<String> reason)
      implements Match {
    @Override
    public Optional<String> explain(KubeObject object) {
      return object
          .condition(type)
          .filter(c -> c.status().equalsIgnoreCase(status))
          .filter(c -> reason.isEmpty() || reason.get().equals(c.reason()))
          .map(Condition::explanation);
    }
  }

  /**
   * A field, by its dotted path from the object's root, equal to a value as text.
   *
   * @param path e.g. {@code status.phase}
   */
  public record FieldMatch(String path, String value) implements Match {
    @Override
    public Optional<String> explain(KubeObject object) {
      String actual = object.text(path.split("\\."));
      return actual.equals(value) ? Optional.of(path + " is " + value) : Optional.empty();
    }
  }

  @Override
  public HealthStatus check(KubeObject object) {
    if (!object.specObserved()) {
      return Rollouts.awaitingObservation(object);
    }
    for (Case c : cases) {
      List<String> reasons = new ArrayList<>();
      for (Match m : c.when()) {
        m.explain(object).ifPresent(reasons::add);
      }
      if (reasons.size() == c.when().size()) {
        return new HealthStatus(c.health(), String.join("; ", reasons));
      }
    }
    return new HealthStatus(otherwise, "no rule of the project matched");
  }
}
