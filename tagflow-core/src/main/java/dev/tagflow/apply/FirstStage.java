package dev.tagflow.apply;

import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.cluster.WaitResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The first stage of a wave, as Flux stages an apply: what other objects need before the server can
 * check or accept them — Namespaces, CustomResourceDefinitions, ClusterRoles and their bindings,
 * and the class kinds objects name (StorageClass, IngressClass, PriorityClass, RuntimeClass). Each
 * one applied is awaited before the rest of the wave: a CRD until Established (and discovery then
 * knows its kinds), a Namespace until Active; the others are ready once stored.
 */
final class FirstStage {

  private static final Set<String> KINDS =
      Set.of(
          "/Namespace",
          "apiextensions.k8s.io/CustomResourceDefinition",
          "rbac.authorization.k8s.io/ClusterRole",
          "rbac.authorization.k8s.io/ClusterRoleBinding",
          "storage.k8s.io/StorageClass",
          "networking.k8s.io/IngressClass",
          "scheduling.k8s.io/PriorityClass",
          "node.k8s.io/RuntimeClass");

  private final ClusterGateway cluster;

  FirstStage(ClusterGateway cluster) {
    this.cluster = cluster;
  }

  /** Whether the object belongs to the first stage. */
  static boolean holds(ObjectRef ref) {
    return KINDS.contains(ref.group() + "/" + ref.kind());
  }

  /**
   * Waits until an object of the first stage that was just applied is ready for what depends on it.
   *
   * @param stored what the server answered to its apply (often ready already: a new Namespace is
   *     Active at once)
   * @return a failed entry when it is not ready in time, or cannot be watched
   */
  Optional<ChangeSetEntry> await(
      ObjectRef ref, GenericKubernetesResource stored, ApplyOptions options) {
    Predicate<GenericKubernetesResource> ready = readiness(ref);
    try {
      if (!ready.test(stored)) {
        WaitResult result = cluster.waitUntil(ref, ready, options.waitTimeout());
        if (result instanceof WaitResult.TimedOut timedOut) {
          return Optional.of(
              new ChangeSetEntry(
                  ref,
                  Action.FAILED,
                  "applied, but not "
                      + readyWord(ref)
                      + " after "
                      + timedOut.waited().toSeconds()
                      + " s; what depends on it in this wave may fail",
                  Optional.of(ClusterFailure.TIMED_OUT)));
        }
      }
    } catch (ClusterException e) {
      return Optional.of(
          ChangeSetEntry.failed(ref, "applied, but could not wait until " + readyWord(ref), e));
    }
    if (ref.kind().equals("CustomResourceDefinition")) {
      // Its kinds are served now: the next look-up must ask the server, not the cache.
      Object group = stored.get("spec", "group");
      if (group != null) {
        cluster.discovery().invalidate(String.valueOf(group));
      }
    }
    return Optional.empty();
  }

  private static Predicate<GenericKubernetesResource> readiness(ObjectRef ref) {
    return switch (ref.kind()) {
      case "CustomResourceDefinition" -> FirstStage::isEstablished;
      case "Namespace" -> FirstStage::isActive;
      default -> object -> object != null;
    };
  }

  private static String readyWord(ObjectRef ref) {
    return switch (ref.kind()) {
      case "CustomResourceDefinition" -> "established";
      case "Namespace" -> "active";
      default -> "stored";
    };
  }

  @SuppressWarnings("unchecked")
  static boolean isEstablished(GenericKubernetesResource crd) {
    if (crd == null || !(crd.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return false;
    }
    if (!(status.get("conditions") instanceof List<?> conditions)) {
      return false;
    }
    return conditions.stream()
        .map(c -> (Map<String, Object>) c)
        .anyMatch(c -> "Established".equals(c.get("type")) && "True".equals(c.get("status")));
  }

  private static boolean isActive(GenericKubernetesResource namespace) {
    return namespace != null && "Active".equals(namespace.get("status", "phase"));
  }
}
