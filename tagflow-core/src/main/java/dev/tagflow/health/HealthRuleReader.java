package dev.tagflow.health;

import dev.tagflow.GroupKind;
import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import dev.tagflow.health.HealthRule.Case;
import dev.tagflow.health.HealthRule.ConditionMatch;
import dev.tagflow.health.HealthRule.FieldMatch;
import dev.tagflow.health.HealthRule.Match;
import dev.tagflow.yaml.YamlLimits;
import dev.tagflow.yaml.YamlReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Reads a project's health rules from their YAML form (a list of rules, see {@link HealthRule}),
 * collecting every mistake into one message that names each by its place in the list.
 */
public final class HealthRuleReader {

  private static final String HEALTHS =
      Arrays.stream(Health.values()).map(Health::displayName).collect(Collectors.joining(", "));

  private final YamlReader yaml;

  public HealthRuleReader() {
    this(YamlLimits.defaults());
  }

  public HealthRuleReader(YamlLimits limits) {
    this.yaml = new YamlReader(limits, false);
  }

  /**
   * Rules from YAML text holding a list of rules; {@code name} names it in messages.
   *
   * @throws TagflowException (INVALID_INPUT) naming every mistake, or where the YAML is invalid or
   *     passes a limit
   */
  public List<HealthRule> read(String name, String text) {
    JsonNode parsed = yaml.readFirst(name, text);
    Object rules =
        parsed.isMissingNode() ? null : PlainJson.MAPPER.convertValue(parsed, Object.class);
    return read(name, rules == null ? List.of() : rules);
  }

  /** Rules from already decoded YAML or JSON: a list of maps. */
  public List<HealthRule> read(String name, Object rules) {
    if (!(rules instanceof List<?>)) {
      throw TagflowException.invalidInput(name + ": health rules must be a list of rules");
    }
    Checked checked = check(rules, "healthRules");
    List<String> problems = checked.mistakes().stream().map(Mistake::message).toList();
    if (!problems.isEmpty()) {
      throw TagflowException.invalidInput(
          problems.size() == 1
              ? name + ": " + problems.getFirst()
              : name + ":\n  " + String.join("\n  ", problems));
    }
    return checked.rules();
  }

  /**
   * One mistake in health rules, for a caller that places it in its own file (the server's settings
   * give it a line and column).
   *
   * @param path the value the mistake is about, from the rules' own path: {@code
   *     healthRules[0].cases[1].health}; an unknown field's path ends in its name
   * @param message what is wrong and how to fix it, starting with the path of the rule or case
   */
  public record Mistake(String path, String message) {}

  /**
   * The rules read, and every mistake found.
   *
   * @param rules the rules without mistakes; complete only when there are no mistakes
   */
  public record Checked(List<HealthRule> rules, List<Mistake> mistakes) {
    public Checked {
      rules = List.copyOf(rules);
      mistakes = List.copyOf(mistakes);
    }
  }

  /**
   * Reads already decoded rules without throwing: the rules and every mistake, each named from
   * {@code root} (e.g. {@code projects[0].healthRules}).
   */
  public Checked check(Object rules, String root) {
    List<Mistake> problems = new ArrayList<>();
    List<HealthRule> out = new ArrayList<>();
    if (!(rules instanceof List<?> list)) {
      problems.add(new Mistake(root, root + " must be a list of rules"));
      return new Checked(out, problems);
    }
    for (int i = 0; i < list.size(); i++) {
      rule(list.get(i), root + "[" + i + "]", problems).ifPresent(out::add);
    }
    return new Checked(out, problems);
  }

  private Optional<HealthRule> rule(Object value, String at, List<Mistake> problems) {
    Map<?, ?> rule = map(value, at, Set.of("group", "kind", "cases", "otherwise"), problems);
    if (rule == null) {
      return Optional.empty();
    }
    String kind = text(rule.get("kind"));
    if (kind.isEmpty()) {
      problems.add(new Mistake(at, at + ": missing kind (e.g. kind: Certificate)"));
    }
    Optional<Health> otherwise =
        rule.containsKey("otherwise")
            ? health(rule.get("otherwise"), at + ".otherwise", problems)
            : Optional.of(Health.PROGRESSING);
    List<Case> cases = new ArrayList<>();
    List<?> given = rule.get("cases") instanceof List<?> l ? l : List.of();
    if (rule.containsKey("cases") && !(rule.get("cases") instanceof List<?>)) {
      problems.add(new Mistake(at + ".cases", at + ".cases must be a list"));
    }
    for (int i = 0; i < given.size(); i++) {
      aCase(given.get(i), at + ".cases[" + i + "]", problems).ifPresent(cases::add);
    }
    if (kind.isEmpty() || otherwise.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new HealthRule(GroupKind.of(text(rule.get("group")), kind), cases, otherwise.get()));
  }

  private Optional<Case> aCase(Object value, String at, List<Mistake> problems) {
    Map<?, ?> c = map(value, at, Set.of("when", "health"), problems);
    if (c == null) {
      return Optional.empty();
    }
    Optional<Health> health = health(c.get("health"), at + ".health", problems);
    List<Match> matches = new ArrayList<>();
    if (!(c.get("when") instanceof List<?> when) || when.isEmpty()) {
      problems.add(new Mistake(at + ".when", at + ".when must be a non-empty list of matches"));
      return Optional.empty();
    }
    for (int i = 0; i < when.size(); i++) {
      match(when.get(i), at + ".when[" + i + "]", problems).ifPresent(matches::add);
    }
    return health.map(h -> new Case(matches, h));
  }

  private Optional<Match> match(Object value, String at, List<Mistake> problems) {
    Map<?, ?> m =
        map(value, at, Set.of("condition", "status", "reason", "field", "equals"), problems);
    if (m == null) {
      return Optional.empty();
    }
    if (m.containsKey("condition") == m.containsKey("field")) {
      problems.add(
          new Mistake(
              at, at + " must give either condition (with status, reason) or field (with equals)"));
      return Optional.empty();
    }
    if (m.containsKey("condition")) {
      String status = m.containsKey("status") ? text(m.get("status")) : "True";
      Optional<String> reason = Optional.ofNullable(m.get("reason")).map(Object::toString);
      return Optional.of(new ConditionMatch(text(m.get("condition")), status, reason));
    }
    if (!m.containsKey("equals")) {
      problems.add(
          new Mistake(
              at, at + ": a field match needs equals (e.g. field: status.phase, equals: Ready)"));
      return Optional.empty();
    }
    return Optional.of(new FieldMatch(text(m.get("field")), text(m.get("equals"))));
  }

  private static Optional<Health> health(Object value, String at, List<Mistake> problems) {
    Optional<Health> health = Health.parse(text(value));
    if (health.isEmpty()) {
      problems.add(
          new Mistake(at, at + ": '" + text(value) + "' is not a health; use one of " + HEALTHS));
    }
    return health;
  }

  private static Map<?, ?> map(
      Object value, String at, Set<String> allowed, List<Mistake> problems) {
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(new Mistake(at, at + " must be a mapping"));
      return null;
    }
    for (Object key : map.keySet()) {
      if (!allowed.contains(String.valueOf(key))) {
        problems.add(
            new Mistake(
                at + "." + key,
                at
                    + ": unknown field '"
                    + key
                    + "' (allowed: "
                    + String.join(", ", allowed.stream().sorted().toList())
                    + ")"));
      }
    }
    return map;
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }
}
