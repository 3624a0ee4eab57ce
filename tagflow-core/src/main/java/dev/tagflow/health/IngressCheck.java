package dev.tagflow.health;

/**
 * An Ingress is healthy once its controller has published an address; until then nothing routes to
 * it.
 */
final class IngressCheck implements HealthCheck {

  @Override
  public HealthStatus check(KubeObject ingress) {
    var addresses = ingress.list("status", "loadBalancer", "ingress");
    if (addresses.isEmpty()) {
      return HealthStatus.progressing("waiting for an address from the ingress controller");
    }
    Object first = addresses.getFirst().get("ip");
    if (first == null) {
      first = addresses.getFirst().get("hostname");
    }
    return HealthStatus.healthy(first == null ? "" : "address " + first);
  }
}
