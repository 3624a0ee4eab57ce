/**
 * Health: how well a live object, or an application's objects together, are doing.
 *
 * <h2>The vocabulary</h2>
 *
 * {@link dev.tagflow.health.Health} orders six verdicts, best first: Healthy, Suspended,
 * Progressing, Missing, Degraded, Unknown. A group of objects is as healthy as its worst member
 * ({@link dev.tagflow.health.HealthStatus#aggregate}); every verdict is a {@link
 * dev.tagflow.health.HealthStatus} whose message names the object: {@code "Deployment shop/web: 1/3
 * replicas available"}.
 *
 * <h2>Judging an object</h2>
 *
 * <pre>{@code
 * HealthRegistry registry = HealthRegistry.builtIn();
 * HealthStatus verdict = registry.assess(liveObject);      // a GenericKubernetesResource or a Map
 * HealthStatus app = registry.assessAll(liveObjects);      // the worst one wins
 * HealthStatus gone = registry.missing(groupKind, "shop", "web");
 * }</pre>
 *
 * <p>The registry holds one {@link dev.tagflow.health.HealthCheck} per group and kind (Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Pod, Job, Service, Ingress, PersistentVolumeClaim,
 * HorizontalPodAutoscaler, APIService); every other kind is judged by the conventions most
 * controllers follow ({@code observedGeneration}, {@code Ready}, {@code Available}, {@code
 * Stalled}, {@code Reconciling}), and an object with none of them is healthy once it exists. An
 * object being deleted is Progressing; a check that throws gives Unknown.
 *
 * <h2>A project's own rules</h2>
 *
 * A {@link dev.tagflow.health.HealthRule} judges one group and kind by its conditions and fields,
 * first matching case wins; {@link dev.tagflow.health.HealthRuleReader} reads them from YAML and
 * {@link dev.tagflow.health.HealthRegistry#withRules} puts them before the built-in checks.
 */
package dev.tagflow.health;
