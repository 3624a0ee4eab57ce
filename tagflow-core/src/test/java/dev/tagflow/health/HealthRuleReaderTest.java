package dev.tagflow.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.GroupKind;
import dev.tagflow.TagflowException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthRuleReaderTest {

  private final HealthRuleReader reader = new HealthRuleReader();

  @Test
  void readsRulesAsAUserWritesThemAndTheyJudgeObjects() throws IOException {
    List<HealthRule> rules = reader.read("backup-rules.yaml", fixture("rules/backup-rules.yaml"));

    assertThat(rules).hasSize(1);
    assertThat(rules.getFirst().target()).isEqualTo(GroupKind.of("example.com", "Backup"));
    assertThat(rules.getFirst().cases().get(1).when())
        .containsExactly(new HealthRule.ConditionMatch("Ready", "True", Optional.empty()));
    HealthFixtures fixtures = new HealthFixtures(HealthRegistry.builtIn().withRules(rules));
    assertThat(fixtures.assess("custom/phase-error.yaml"))
        .isEqualTo(HealthStatus.degraded("Backup shop/nightly: status.phase is Error"));
    assertThat(fixtures.assess("custom/paused-backup.yaml"))
        .isEqualTo(HealthStatus.suspended("Backup shop/weekly: paused by an operator"));
  }

  @Test
  void namesEveryMistakeByItsPlaceInTheList() {
    String yaml =
        """
        - kind: Backup
          cases:
            - when: [{condition: Ready}]
              health: Fine
            - when: []
              health: Healthy
          otherwise: Degraded
          colour: blue
        - group: example.com
          cases:
            - when: [{field: status.phase}]
              health: Degraded
        """;

    assertThatThrownBy(() -> reader.read("project shop", yaml))
        .isInstanceOf(TagflowException.class)
        .hasMessage(
            "project shop:\n"
                + "  healthRules[0]: unknown field 'colour' (allowed: cases, group, kind,"
                + " otherwise)\n"
                + "  healthRules[0].cases[0].health: 'Fine' is not a health; use one of Healthy,"
                + " Suspended, Progressing, Missing, Degraded, Unknown\n"
                + "  healthRules[0].cases[1].when must be a non-empty list of matches\n"
                + "  healthRules[1]: missing kind (e.g. kind: Certificate)\n"
                + "  healthRules[1].cases[0].when[0]: a field match needs equals (e.g. field:"
                + " status.phase, equals: Ready)");
  }

  @Test
  void checkNamesTheValueOfEachMistakeForACallerThatPlacesIt() {
    Object rules =
        List.of(
            Map.of("kind", "Backup", "colour", "blue"),
            Map.of("kind", "Backup", "cases", List.of(Map.of("when", List.of(), "health", "Ok"))));

    HealthRuleReader.Checked checked = reader.check(rules, "projects[0].healthRules");

    assertThat(checked.mistakes())
        .extracting(HealthRuleReader.Mistake::path)
        .containsExactlyInAnyOrder(
            "projects[0].healthRules[0].colour",
            "projects[0].healthRules[1].cases[0].health",
            "projects[0].healthRules[1].cases[0].when");
    assertThat(checked.mistakes())
        .extracting(HealthRuleReader.Mistake::message)
        .contains("projects[0].healthRules[1].cases[0].when must be a non-empty list of matches");
    assertThat(checked.rules()).extracting(HealthRule::target).hasSize(2);
  }

  private static String fixture(String path) throws IOException {
    try (InputStream in = HealthRuleReaderTest.class.getResourceAsStream("/health/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
