package dev.tagflow.render;

import java.util.Objects;

/**
 * A kind within its API group ({@code ""} for the core group), as discovery names it.
 *
 * @param group the API group without version: {@code apps}, {@code ""}
 * @param kind the kind: {@code Deployment}
 */
public record GroupKind(String group, String kind) {
  public GroupKind {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(kind, "kind");
  }

  /** The group kind of an object's {@code apiVersion} ({@code apps/v1}, {@code v1}) and kind. */
  public static GroupKind of(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    return new GroupKind(slash < 0 ? "" : apiVersion.substring(0, slash), kind);
  }

  @Override
  public String toString() {
    return group.isEmpty() ? kind : kind + "." + group;
  }
}
