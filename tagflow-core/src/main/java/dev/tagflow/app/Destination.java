package dev.tagflow.app;

import java.util.Objects;

/**
 * Where an application's objects go.
 *
 * @param cluster a cluster's name (a kubeconfig context), or an API server URL as Argo CD's {@code
 *     destination.server} gives it
 * @param namespace the namespace for namespaced objects that name none; {@code ""} for none
 */
public record Destination(String cluster, String namespace) {

  public Destination {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(namespace, "namespace");
  }

  /** Whether {@link #cluster} is an API server URL rather than a name. */
  public boolean isServerUrl() {
    return cluster.startsWith("https://") || cluster.startsWith("http://");
  }
}
