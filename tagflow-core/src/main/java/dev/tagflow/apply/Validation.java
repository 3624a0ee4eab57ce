package dev.tagflow.apply;

import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.Comparison;
import dev.tagflow.diff.ResourceDiff;
import dev.tagflow.diff.Tracking;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges each object of a wave from the differ's comparison of it (its one dry-run, or a remembered
 * one): unchanged, sent, recreated, deferred until the wave's first stage is ready, or refused.
 * Sends nothing: the apply acts on the verdicts, and only if none is {@link Verdict.Refused}.
 */
final class Validation {

  /** Argo CD's per-object sync options; {@code Replace=true} there asks for recreation. */
  private static final String ARGO_SYNC_OPTIONS = "argocd.argoproj.io/sync-options";

  /**
   * What a wave creates in its first stage, so that an object needing it is checked after that
   * stage instead of being refused now.
   *
   * @param namespaces the Namespaces it applies, and the destination with CreateNamespace
   * @param definitions its CustomResourceDefinitions
   */
  record Wave(Set<String> namespaces, List<GenericKubernetesResource> definitions) {

    /** A wave that creates nothing more: what is still missing now is refused. */
    static final Wave NOTHING_MORE = new Wave(Set.of(), List.of());

    static Wave of(List<GenericKubernetesResource> objects, ApplyOptions options) {
      Set<String> namespaces = new HashSet<>();
      if (options.createNamespace() && !options.destinationNamespace().isEmpty()) {
        namespaces.add(options.destinationNamespace());
      }
      List<GenericKubernetesResource> definitions =
          objects.stream()
              .filter(
                  o ->
                      "CustomResourceDefinition".equals(o.getKind())
                          && o.getApiVersion() != null
                          && o.getApiVersion().startsWith("apiextensions.k8s.io/"))
              .toList();
      for (GenericKubernetesResource object : objects) {
        if ("Namespace".equals(object.getKind()) && "v1".equals(object.getApiVersion())) {
          namespaces.add(object.getMetadata().getName());
        }
      }
      return new Wave(Set.copyOf(namespaces), definitions);
    }

    /** The CRD of this wave that defines the object's kind, if one does. */
    Optional<GenericKubernetesResource> definition(ObjectRef ref) {
      return definitions.stream()
          .filter(
              c ->
                  ref.group().equals(c.get("spec", "group"))
                      && ref.kind().equals(c.get("spec", "names", "kind")))
          .findFirst();
    }
  }

  Verdict judge(
      GenericKubernetesResource original, Comparison comparison, ApplyOptions options, Wave wave) {
    ObjectRef ref = comparison.diff().object();
    if (comparison.live().isPresent()) {
      Optional<String> owner = Tracking.trackedBy(comparison.live().get());
      if (owner.isPresent() && !owner.get().equals(options.application()) && !options.takeOver()) {
        return refused(
            ref,
            "it belongs to application '"
                + owner.get()
                + "' (annotation "
                + Tracking.TRACKING_ID
                + "); remove it from one of the two applications, or sync with take-over to"
                + " move it",
            Optional.empty());
      }
    }
    if (comparison.failure().isPresent()) {
      return onFailure(original, comparison, comparison.failure().get(), options, wave);
    }
    GenericKubernetesResource desired = comparison.desired().orElseThrow();
    return switch (comparison.diff()) {
      case ResourceDiff.InSync inSync -> new Verdict.Unchanged(ref);
      case ResourceDiff.OutOfSync outOfSync -> new Verdict.Send(ref, desired, Action.CONFIGURED);
      case ResourceDiff.Missing missing -> new Verdict.Send(ref, desired, Action.CREATED);
      case ResourceDiff.Unknown unknown -> refused(ref, unknown.reason(), Optional.empty());
      case ResourceDiff.Extra extra ->
          throw new IllegalStateException("a desired object compared as extra: " + ref);
    };
  }

  private Verdict onFailure(
      GenericKubernetesResource original,
      Comparison comparison,
      ClusterException e,
      ApplyOptions options,
      Wave wave) {
    ObjectRef ref = comparison.diff().object();
    if (e.is(ClusterFailure.GONE_KIND) && comparison.desired().isEmpty()) {
      Optional<GenericKubernetesResource> definition = wave.definition(ref);
      if (definition.isPresent()) {
        // Named as it will exist, in its namespace if the CRD's scope says so: the inventory
        // records this name before the object is sent.
        boolean namespaced = "Namespaced".equals(definition.get().get("spec", "scope"));
        ObjectRef resolved =
            !namespaced
                ? ref.inNamespace("")
                : ref.isNamespaced() ? ref : ref.inNamespace(options.destinationNamespace());
        return new Verdict.Deferred(
            resolved,
            original,
            new ChangeSetEntry(
                resolved,
                Action.SKIPPED,
                "its CRD is created by this sync; a dry-run cannot check it"));
      }
      return refused(
          ref,
          "the cluster does not serve "
              + ref.kind()
              + " in "
              + ref.apiVersion()
              + "; check the apiVersion or apply its CustomResourceDefinition first",
          Optional.of(ClusterFailure.GONE_KIND));
    }
    if (e.is(ClusterFailure.NOT_FOUND)
        && comparison.live().isEmpty()
        && comparison.desired().isPresent()
        && ref.isNamespaced()) {
      if (wave.namespaces().contains(ref.namespace())) {
        return new Verdict.Deferred(
            ref,
            original,
            new ChangeSetEntry(ref, Action.CREATED, "dry-run; its namespace does not exist yet"));
      }
      return refused(
          ref,
          "its namespace "
              + ref.namespace()
              + " does not exist; add the Namespace to Git, or sync with CreateNamespace=true",
          Optional.of(ClusterFailure.NOT_FOUND));
    }
    if (e.is(ClusterFailure.IMMUTABLE) && comparison.desired().isPresent()) {
      if (options.force() || asksForReplace(original)) {
        return new Verdict.Replace(
            ref, comparison.desired().get(), "an immutable field changed: " + e.serverMessage());
      }
      return refused(
          ref,
          "an immutable field changed: "
              + e.serverMessage()
              + "; sync with Replace=true to delete and recreate it",
          Optional.of(ClusterFailure.IMMUTABLE));
    }
    return new Verdict.Refused(
        ChangeSetEntry.failed(
            ref, e.failure().isTransient() ? "could not check it" : "the server refused it", e));
  }

  /** {@code argocd.argoproj.io/sync-options: Replace=true} on the object itself. */
  private static boolean asksForReplace(GenericKubernetesResource object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    if (annotations == null || annotations.get(ARGO_SYNC_OPTIONS) == null) {
      return false;
    }
    for (String option : annotations.get(ARGO_SYNC_OPTIONS).split(",")) {
      if (option.replace(" ", "").equalsIgnoreCase("Replace=true")) {
        return true;
      }
    }
    return false;
  }

  private static Verdict refused(ObjectRef ref, String why, Optional<ClusterFailure> failure) {
    return new Verdict.Refused(new ChangeSetEntry(ref, Action.FAILED, why, failure));
  }
}
