package dev.tagflow.diff;

import java.util.List;
import java.util.Objects;

/**
 * One field of a live object that differs from Git, and who wrote it: the managers that own it in
 * the live object's {@code managedFields} besides Tagflow ({@code kubectl (scale)}, {@code
 * kubectl-edit}). A person reads it as "spec.replicas was changed by kubectl".
 *
 * @param path the field, as {@code spec.replicas}, {@code metadata.labels["team"]} or {@code
 *     spec.template.spec.containers[name=web].image}
 * @param managers who owns the field now, other than Tagflow; empty when nobody else does (a field
 *     removed, or changed through an API that records no manager)
 */
public record FieldDrift(String path, List<String> managers) {
  public FieldDrift {
    Objects.requireNonNull(path, "path");
    managers = List.copyOf(managers);
  }

  @Override
  public String toString() {
    return managers.isEmpty() ? path : path + " (by " + String.join(", ", managers) + ")";
  }
}
