package dev.tagflow.app;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Fields of matching objects that do not count as drift.
 *
 * @param group the API group, {@code ""} for the core group
 * @param kind the kind
 * @param name only the object of this name, when given
 * @param namespace only objects in this namespace, when given
 * @param jsonPointers RFC 6901 pointers to ignored fields ({@code /spec/replicas})
 * @param jqPathExpressions jq paths to ignored fields ({@code
 *     .spec.template.spec.initContainers[]})
 * @param managedFieldsManagers field managers whose fields are ignored (for example an HPA's {@code
 *     kube-controller-manager} owning {@code /spec/replicas})
 */
public record IgnoreDifference(
    String group,
    String kind,
    Optional<String> name,
    Optional<String> namespace,
    List<String> jsonPointers,
    List<String> jqPathExpressions,
    List<String> managedFieldsManagers) {

  public IgnoreDifference {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    jsonPointers = List.copyOf(jsonPointers);
    jqPathExpressions = List.copyOf(jqPathExpressions);
    managedFieldsManagers = List.copyOf(managedFieldsManagers);
  }
}
