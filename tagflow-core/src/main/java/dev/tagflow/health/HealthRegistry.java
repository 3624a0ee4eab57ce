package dev.tagflow.health;

import dev.tagflow.GroupKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Judges the health of live objects: one {@link HealthCheck} per group and kind, and for every
 * other kind the standard {@code Ready}/{@code Available} conditions.
 *
 * <p>Immutable: {@link #withRules} and {@link #with} return a new registry, so one application's
 * project rules never leak into another's.
 */
public final class HealthRegistry {

  private final Map<GroupKind, HealthCheck> checks;
  private final HealthCheck fallback;

  private HealthRegistry(Map<GroupKind, HealthCheck> checks, HealthCheck fallback) {
    this.checks = Map.copyOf(checks);
    this.fallback = fallback;
  }

  /** The checks for Kubernetes' own kinds, and conditions for everything else. */
  public static HealthRegistry builtIn() {
    Map<GroupKind, HealthCheck> checks = new LinkedHashMap<>();
    HealthCheck deployment = new DeploymentCheck();
    HealthCheck daemonSet = new DaemonSetCheck();
    HealthCheck replicaSet = new ReplicaSetCheck();
    HealthCheck ingress = new IngressCheck();
    // "extensions" is where these kinds lived before apps/v1 and networking.k8s.io/v1.
    for (String group : new String[] {"apps", "extensions"}) {
      checks.put(GroupKind.of(group, "Deployment"), deployment);
      checks.put(GroupKind.of(group, "DaemonSet"), daemonSet);
      checks.put(GroupKind.of(group, "ReplicaSet"), replicaSet);
    }
    checks.put(GroupKind.of("apps", "StatefulSet"), new StatefulSetCheck());
    checks.put(GroupKind.of("", "Pod"), new PodCheck());
    checks.put(GroupKind.of("batch", "Job"), new JobCheck());
    checks.put(GroupKind.of("", "Service"), new ServiceCheck());
    checks.put(GroupKind.of("networking.k8s.io", "Ingress"), ingress);
    checks.put(GroupKind.of("extensions", "Ingress"), ingress);
    checks.put(GroupKind.of("", "PersistentVolumeClaim"), new PersistentVolumeClaimCheck());
    checks.put(
        GroupKind.of("autoscaling", "HorizontalPodAutoscaler"), new HorizontalPodAutoscalerCheck());
    checks.put(GroupKind.of("apiregistration.k8s.io", "APIService"), new ApiServiceCheck());
    checks.put(
        GroupKind.of("apiextensions.k8s.io", "CustomResourceDefinition"),
        new CustomResourceDefinitionCheck());
    return new HealthRegistry(checks, new ConditionsCheck());
  }

  /** This registry with {@code check} used for {@code groupKind}, replacing any earlier one. */
  public HealthRegistry with(GroupKind groupKind, HealthCheck check) {
    Map<GroupKind, HealthCheck> copy = new LinkedHashMap<>(checks);
    copy.put(groupKind, check);
    return new HealthRegistry(copy, fallback);
  }

  /**
   * This registry with a project's rules, each replacing the check of its group and kind: the
   * project knows its custom resources better than any default does.
   */
  public HealthRegistry withRules(Collection<HealthRule> rules) {
    Map<GroupKind, HealthCheck> copy = new LinkedHashMap<>(checks);
    rules.forEach(rule -> copy.put(rule.target(), rule));
    return new HealthRegistry(copy, fallback);
  }

  /** The check registered for a group and kind; empty when the conditions fallback applies. */
  public Optional<HealthCheck> checkFor(GroupKind groupKind) {
    return Optional.ofNullable(checks.get(groupKind));
  }

  /** The verdict for a live object; its message starts with the object's kind and name. */
  public HealthStatus assess(KubeObject object) {
    HealthStatus verdict;
    if (object.has("metadata", "deletionTimestamp")) {
      verdict = HealthStatus.progressing("being deleted");
    } else {
      HealthCheck check = checks.getOrDefault(object.groupKind(), fallback);
      try {
        verdict = check.check(object);
      } catch (RuntimeException e) {
        // A status we did not expect must not stop a sync: say we cannot judge it, and why.
        verdict = HealthStatus.unknown("cannot judge health: " + e);
      }
    }
    return verdict.about(object.subject());
  }

  public HealthStatus assess(GenericKubernetesResource resource) {
    return assess(KubeObject.of(resource));
  }

  public HealthStatus assess(Map<String, Object> object) {
    return assess(KubeObject.of(object));
  }

  /** The verdict for an object the application expects but the cluster does not have. */
  public HealthStatus missing(GroupKind groupKind, String namespace, String name) {
    String where = namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    return HealthStatus.missing("not found").about(groupKind.kind() + " " + where);
  }

  /** The verdict of a group of live objects: the worst one wins. */
  public HealthStatus assessAll(Collection<KubeObject> objects) {
    return HealthStatus.aggregate(objects.stream().map(this::assess).toList());
  }
}
