package dev.tagflow.reconcile;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A cluster applications may name in {@code destination.cluster} (or Argo CD's {@code
 * destination.name}): a context of a kubeconfig file.
 *
 * @param name what applications call it; {@code local} is also what {@code in-cluster} and {@code
 *     https://kubernetes.default.svc} mean
 * @param kubeconfig the kubeconfig file; empty for the destinations' default one
 * @param context the kubeconfig's context; empty for its current context
 */
public record ClusterTarget(String name, Optional<Path> kubeconfig, Optional<String> context) {
  public ClusterTarget {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(context, "context");
  }
}
