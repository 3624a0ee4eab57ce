package dev.tagflow.diff;

import dev.tagflow.cluster.ObjectRef;
import java.util.List;

/**
 * An {@code ignoreDifferences} entry: for objects of a group and kind (and optionally one name and
 * namespace), differences at these JSON pointers, or in fields these managers own, are not drift. A
 * typical use: a HorizontalPodAutoscaler's manager owns a Deployment's {@code /spec/replicas}.
 *
 * @param group API group ({@code ""} for core, {@code "*"} for any)
 * @param kind kind ({@code "*"} for any)
 * @param namespace only this namespace; empty for any
 * @param name only this name; empty for any
 * @param jsonPointers paths to ignore
 * @param managedFieldsManagers field managers whose fields are ignored
 */
public record IgnoreRule(
    String group,
    String kind,
    String namespace,
    String name,
    List<JsonPointer> jsonPointers,
    List<String> managedFieldsManagers) {

  public IgnoreRule {
    namespace = namespace == null ? "" : namespace;
    name = name == null ? "" : name;
    jsonPointers = List.copyOf(jsonPointers);
    managedFieldsManagers = List.copyOf(managedFieldsManagers);
  }

  /** Ignore these JSON pointers on every object of a group and kind. */
  public static IgnoreRule pointers(String group, String kind, String... pointers) {
    return new IgnoreRule(
        group,
        kind,
        "",
        "",
        java.util.Arrays.stream(pointers).map(JsonPointer::parse).toList(),
        List.of());
  }

  /** Ignore what these managers own on every object of a group and kind. */
  public static IgnoreRule managers(String group, String kind, String... managers) {
    return new IgnoreRule(group, kind, "", "", List.of(), List.of(managers));
  }

  /** Whether the rule applies to that object. */
  public boolean matches(ObjectRef ref) {
    return (group.equals("*") || group.equals(ref.group()))
        && (kind.equals("*") || kind.equals(ref.kind()))
        && (namespace.isEmpty() || namespace.equals(ref.namespace()))
        && (name.isEmpty() || name.equals(ref.name()));
  }
}
