package dev.tagflow;

import java.util.Objects;

/**
 * The group and kind of an object, without its version, as discovery names a kind: one health
 * check, one scope and one apply order serve every API version of it.
 *
 * @param group the API group, {@code ""} for the core group
 * @param kind the kind, e.g. {@code Deployment}
 */
public record GroupKind(String group, String kind) {

  public GroupKind {
    group = group == null ? "" : group;
    Objects.requireNonNull(kind, "kind");
  }

  public static GroupKind of(String group, String kind) {
    return new GroupKind(group, kind);
  }

  /** The group and kind of an {@code apiVersion} such as {@code apps/v1} or {@code v1}. */
  public static GroupKind fromApiVersion(String apiVersion, String kind) {
    int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
    return new GroupKind(slash < 0 ? "" : apiVersion.substring(0, slash), kind);
  }

  @Override
  public String toString() {
    return group.isEmpty() ? kind : kind + "." + group;
  }
}
