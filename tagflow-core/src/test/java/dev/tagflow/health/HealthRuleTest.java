package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.GroupKind;
import dev.tagflow.health.HealthRule.Case;
import dev.tagflow.health.HealthRule.ConditionMatch;
import dev.tagflow.health.HealthRule.FieldMatch;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthRuleTest {

  private static final GroupKind BACKUP = GroupKind.of("example.com", "Backup");

  @Test
  void aProjectRuleDecidesBeforeTheDefaultConditionsCheck() {
    HealthRule rule =
        new HealthRule(
            BACKUP,
            List.of(
                new Case(List.of(new FieldMatch("status.phase", "Error")), Health.SUSPENDED),
                new Case(
                    List.of(new ConditionMatch("Ready", "True", Optional.empty())),
                    Health.HEALTHY)),
            Health.PROGRESSING);
    HealthFixtures fixtures = new HealthFixtures(HealthRegistry.builtIn().withRules(List.of(rule)));

    assertThat(fixtures.assess("custom/phase-error.yaml"))
        .isEqualTo(HealthStatus.suspended("Backup shop/nightly: status.phase is Error"));
    assertThat(new HealthFixtures().assess("custom/phase-error.yaml").health())
        .isEqualTo(Health.DEGRADED);
  }

  @Test
  void aCaseHoldsOnlyWhenAllItsMatchesHoldAndExplainsWithTheConditionsMessage() {
    HealthRule rule =
        new HealthRule(
            BACKUP,
            List.of(
                new Case(
                    List.of(
                        new ConditionMatch("Ready", "False", Optional.of("Failed")),
                        new FieldMatch("status.phase", "Running")),
                    Health.DEGRADED),
                new Case(
                    List.of(new ConditionMatch("Ready", "False", Optional.of("Failed"))),
                    Health.MISSING)),
            Health.UNKNOWN);
    HealthFixtures fixtures = new HealthFixtures(HealthRegistry.builtIn().withRules(List.of(rule)));

    assertThat(fixtures.assess("custom/phase-error.yaml"))
        .isEqualTo(HealthStatus.missing("Backup shop/nightly: bucket not reachable"));
  }

  @Test
  void noMatchingCaseGivesTheRulesOtherwiseVerdict() {
    HealthRule rule = new HealthRule(BACKUP, List.of(), Health.HEALTHY);
    HealthFixtures fixtures = new HealthFixtures(HealthRegistry.builtIn().withRules(List.of(rule)));

    assertThat(fixtures.assess("custom/phase-error.yaml"))
        .isEqualTo(HealthStatus.healthy("Backup shop/nightly: no rule of the project matched"));
  }
}
