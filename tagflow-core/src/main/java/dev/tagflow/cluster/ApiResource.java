package dev.tagflow.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * One kind the API server serves, as discovery reports it: where it is (group, version, plural) and
 * whether its objects live in a namespace.
 */
public record ApiResource(
    String group, String version, String kind, String plural, boolean namespaced) {

  /** {@code apps/v1}, or {@code v1} for the core group. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The group and kind, the key a kind keeps across versions: {@code apps/Deployment}. */
  public String groupKind() {
    return group + "/" + kind;
  }

  ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }
}
