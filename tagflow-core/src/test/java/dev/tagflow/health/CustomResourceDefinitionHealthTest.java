package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CustomResourceDefinitionHealthTest {

  private final HealthFixtures fixtures = new HealthFixtures();

  @Test
  void isHealthyOnceEstablished() {
    assertThat(fixtures.assess("customresourcedefinition/established.yaml"))
        .isEqualTo(
            HealthStatus.healthy("CustomResourceDefinition backups.example.com: established"));
  }

  @Test
  void isProgressingUntilEstablished() {
    assertThat(fixtures.assess("customresourcedefinition/not-established-yet.yaml"))
        .isEqualTo(
            HealthStatus.progressing(
                "CustomResourceDefinition backups.example.com: not established yet: the initial"
                    + " names have not been accepted"));
  }

  @Test
  void isDegradedWhenItsNamesConflictWithAnotherDefinition() {
    assertThat(fixtures.assess("customresourcedefinition/names-conflict.yaml"))
        .isEqualTo(
            HealthStatus.degraded(
                "CustomResourceDefinition backups.example.com: names not accepted: \"BackupList\""
                    + " is already in use"));
  }
}
