package dev.tagflow.secret;

import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The secrets a workflow names, opened: only those, for its steps' {@code secrets} context.
 *
 * @param values by name (upper case, as GitHub keeps secret names)
 * @param missing names the workflow uses that no scope holds; GitHub gives them as empty strings
 */
public record ResolvedSecrets(Map<String, String> values, SortedSet<String> missing) {

  public ResolvedSecrets {
    values = Map.copyOf(values);
    missing = new TreeSet<>(missing);
  }

  /** The value of {@code name} as a workflow reads it: empty when it is not set. */
  public String valueOf(String name) {
    return values.getOrDefault(Secrets.canonicalName(name), "");
  }

  /** The names resolved, for logs: never the values. */
  public Set<String> names() {
    return values.keySet();
  }

  @Override
  public String toString() {
    return "ResolvedSecrets[names=" + new TreeSet<>(values.keySet()) + ", missing=" + missing + "]";
  }
}
