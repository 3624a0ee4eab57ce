package dev.tagflow.health;

/**
 * A CustomResourceDefinition is healthy once Established, the point from which the API server
 * serves its custom resources; a sync waits for this before applying them.
 */
final class CustomResourceDefinitionCheck implements HealthCheck {

  @Override
  public HealthStatus check(KubeObject crd) {
    var names = crd.condition("NamesAccepted");
    if (names.isPresent() && names.get().isFalse()) {
      // Another CRD already claims these names: waiting will not fix it.
      return HealthStatus.degraded("names not accepted: " + names.get().explanation());
    }
    var established = crd.condition("Established");
    if (established.isPresent() && established.get().isTrue()) {
      return HealthStatus.healthy("established");
    }
    return HealthStatus.progressing(
        "not established yet" + established.map(c -> ": " + c.explanation()).orElse(""));
  }
}
