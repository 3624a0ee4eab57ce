package dev.tagflow.render;

import java.util.Objects;

/**
 * Where the rendered objects will go: the namespace objects default to, and what the cluster
 * offers.
 *
 * @param namespace the destination namespace ({@code .Release.Namespace}, and the namespace of
 *     namespaced objects that name none); {@code ""} for none: objects stay as written
 * @param capabilities the destination cluster's version, API versions and kinds' scopes
 */
public record RenderTarget(String namespace, Capabilities capabilities) {
  public RenderTarget {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(capabilities, "capabilities");
  }
}
