package dev.tagflow.bench.flux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FleetTest {

  @Test
  void aThousandApplicationsGetNodesForTwoPodsEachAtTwoHundredFiftyANode() {
    // Two kwok nodes (500 pods) left 500 of 1,000 applications' pods Pending: "Too many pods".
    assertThat(new Fleet(1000, 10).nodes()).isEqualTo(8);
    assertThat(new Fleet(1000, 10).namespaces()).isEqualTo(20);
  }

  @Test
  void smallFleetsKeepTheTestkitsTwoNodes() {
    assertThat(new Fleet(1, 3).nodes()).isEqualTo(2);
    assertThat(new Fleet(100, 10).nodes()).isEqualTo(2);
    assertThat(new Fleet(250, 10).nodes()).isEqualTo(2);
    assertThat(new Fleet(251, 10).nodes()).isEqualTo(3);
  }

  @Test
  void anApplicationsFilesAreItsDeploymentServiceAndConfigMapsAtTheRelease() {
    var files = new Fleet(100, 10).objects(7, 2);

    assertThat(files.sequencedKeySet())
        .containsExactly(
            "deployment.yaml",
            "service.yaml",
            "cm-0.yaml",
            "cm-1.yaml",
            "cm-2.yaml",
            "cm-3.yaml",
            "cm-4.yaml",
            "cm-5.yaml",
            "cm-6.yaml",
            "cm-7.yaml");
    assertThat(files.get("deployment.yaml"))
        .contains("name: app-7")
        .contains("image: registry.bench.local/app-7:" + Fleet.imageTag(2));
    assertThat(Fleet.imageTag(2)).isEqualTo("1.2.0");
    assertThat(files.get("cm-3.yaml")).contains("name: app-7-cm-3").contains("release: \"2\"");
  }
}
