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
}
