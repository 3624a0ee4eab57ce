package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.GroupKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthRegistryTest {

  private final HealthRegistry registry = HealthRegistry.builtIn();

  @Test
  void judgesAnObjectGivenAsPlainMaps() {
    Map<String, Object> pvc =
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "PersistentVolumeClaim",
            "metadata",
            Map.of("name", "data", "namespace", "shop"),
            "status",
            Map.of("phase", "Pending"));

    assertThat(registry.assess(pvc))
        .isEqualTo(
            HealthStatus.progressing("PersistentVolumeClaim shop/data: waiting for a volume"));
  }

  @Test
  void aCheckRegisteredForAGroupAndKindReplacesTheDefault() {
    HealthRegistry custom =
        registry.with(
            GroupKind.of("", "ConfigMap"), o -> HealthStatus.degraded("config maps are banned"));
    Map<String, Object> configMap =
        Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "settings"));

    assertThat(custom.assess(configMap))
        .isEqualTo(HealthStatus.degraded("ConfigMap settings: config maps are banned"));
    assertThat(registry.assess(configMap).health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void aCheckThatThrowsGivesUnknownRatherThanStoppingTheSync() {
    HealthRegistry broken =
        registry.with(
            GroupKind.of("example.com", "Widget"),
            o -> {
              throw new IllegalStateException("unexpected status shape");
            });
    Map<String, Object> widget =
        Map.of(
            "apiVersion", "example.com/v1",
            "kind", "Widget",
            "metadata", Map.of("name", "w", "namespace", "shop"));

    HealthStatus verdict = broken.assess(widget);

    assertThat(verdict.health()).isEqualTo(Health.UNKNOWN);
    assertThat(verdict.message()).contains("Widget shop/w", "unexpected status shape");
  }

  @Test
  void anExpectedObjectThatIsAbsentIsMissing() {
    assertThat(registry.missing(GroupKind.of("apps", "Deployment"), "shop", "web"))
        .isEqualTo(HealthStatus.missing("Deployment shop/web: not found"));
  }

  @Test
  void judgesAGroupOfLiveObjectsByItsWorstMember() {
    HealthFixtures fixtures = new HealthFixtures();
    HealthStatus verdict =
        registry.assessAll(
            List.of(
                KubeObject.of(fixtures.load("deployment/partly-available.yaml")),
                KubeObject.of(fixtures.load("service/cluster-ip.yaml"))));

    assertThat(verdict)
        .isEqualTo(HealthStatus.progressing("Deployment shop/web: 1/3 replicas available"));
  }
}
