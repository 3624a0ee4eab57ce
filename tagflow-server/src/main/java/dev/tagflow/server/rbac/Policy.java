package dev.tagflow.server.rbac;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed policy: permission lines and grants. A request is allowed when a line of one of its
 * subjects (or of a role or group they hold, transitively) allows it and none denies it: deny wins,
 * and nothing is allowed by default.
 */
public final class Policy {

  /** One {@code p} line. */
  record Rule(
      String subject, String resource, String action, ObjectPattern object, boolean allow) {}

  private final List<Rule> rules;
  private final Map<String, Set<String>> grants;

  Policy(List<Rule> rules, Map<String, Set<String>> grants) {
    this.rules = List.copyOf(rules);
    Map<String, Set<String>> copy = new HashMap<>();
    grants.forEach((subject, roles) -> copy.put(subject, Set.copyOf(roles)));
    this.grants = Map.copyOf(copy);
  }

  static Policy empty() {
    return new Policy(List.of(), Map.of());
  }

  /** This policy's lines and then {@code other}'s. */
  Policy plus(Policy other) {
    List<Rule> allRules = new ArrayList<>(rules);
    allRules.addAll(other.rules);
    Map<String, Set<String>> allGrants = new HashMap<>();
    grants.forEach((s, r) -> allGrants.computeIfAbsent(s, k -> new HashSet<>()).addAll(r));
    other.grants.forEach((s, r) -> allGrants.computeIfAbsent(s, k -> new HashSet<>()).addAll(r));
    return new Policy(allRules, allGrants);
  }

  /** The subjects themselves and every role and group they hold, directly or through others. */
  public Set<String> closure(Collection<String> subjects) {
    Set<String> seen = new HashSet<>(subjects);
    Deque<String> todo = new ArrayDeque<>(subjects);
    while (!todo.isEmpty()) {
      for (String role : grants.getOrDefault(todo.pop(), Set.of())) {
        if (seen.add(role)) {
          todo.push(role);
        }
      }
    }
    return seen;
  }

  /** Whether any of {@code subjects} may do {@code permission} on {@code object}. */
  public boolean allows(Collection<String> subjects, Permission permission, String object) {
    Set<String> held = closure(subjects);
    boolean allowed = false;
    for (Rule rule : rules) {
      if (held.contains(rule.subject())
          && ObjectPattern.glob(rule.resource(), permission.resource())
          && ObjectPattern.glob(rule.action(), permission.action())
          && rule.object().matches(object)) {
        if (!rule.allow()) {
          return false;
        }
        allowed = true;
      }
    }
    return allowed;
  }

  /** How many lines it has, for the log. */
  public int size() {
    return rules.size() + grants.values().stream().mapToInt(Set::size).sum();
  }
}
