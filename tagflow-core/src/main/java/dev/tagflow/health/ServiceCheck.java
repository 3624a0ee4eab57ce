package dev.tagflow.health;

/** A Service is healthy once it exists, except a LoadBalancer, which waits for its address. */
final class ServiceCheck implements HealthCheck {

  @Override
  public HealthStatus check(KubeObject service) {
    if ("LoadBalancer".equals(service.text("spec", "type"))
        && service.list("status", "loadBalancer", "ingress").isEmpty()) {
      return HealthStatus.progressing("waiting for a load balancer address");
    }
    return HealthStatus.healthy("");
  }
}
