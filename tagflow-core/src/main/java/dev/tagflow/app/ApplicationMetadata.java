package dev.tagflow.app;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The metadata of an Application.
 *
 * @param name a Kubernetes object name ({@link ApplicationName}): lower-case letters, digits, '-'
 *     and '.', at most 253 characters
 * @param namespace the namespace written in the file, if any (Argo CD Applications live in {@code
 *     argocd}); it says nothing about where the manifests go
 * @param labels labels, for selecting applications
 * @param annotations annotations
 * @param finalizers finalizers as written (Argo CD's {@code resources-finalizer.argocd.argoproj.io}
 *     asks for the application's objects to be deleted with it)
 */
public record ApplicationMetadata(
    String name,
    Optional<String> namespace,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<String> finalizers) {

  public ApplicationMetadata {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    finalizers = List.copyOf(finalizers);
  }

  public static ApplicationMetadata named(String name) {
    return new ApplicationMetadata(name, Optional.empty(), Map.of(), Map.of(), List.of());
  }
}
