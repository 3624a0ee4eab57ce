package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.reconcile.ApplicationStatus.Condition;
import dev.tagflow.reconcile.ApplicationStatus.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionSetTest {

  private final Instant first = Instant.parse("2030-01-01T00:00:00Z");
  private final Instant later = first.plusSeconds(60);

  @Test
  void aConditionSetAgainKeepsWhenItWasFirstSeen() {
    List<Condition> before =
        new ConditionSet(List.of(), first).error("SourceFailed", "unreachable").build();

    List<Condition> after =
        new ConditionSet(before, later).error("SourceFailed", "still unreachable").build();

    assertThat(after)
        .containsExactly(new Condition(Severity.ERROR, "SourceFailed", "still unreachable", first));
  }

  @Test
  void aConditionNotSetAgainIsGoneButASyncsOutcomeStays() {
    List<Condition> before =
        new ConditionSet(List.of(), first)
            .error("SourceFailed", "unreachable")
            .error("SyncFailed", "wave 0 failed")
            .build();

    List<Condition> after = new ConditionSet(before, later).build();

    assertThat(after).extracting(Condition::reason).containsExactly("SyncFailed");
  }

  @Test
  void aSyncsOutcomeIsClearedWhenTheNextSyncEnds() {
    List<Condition> before =
        new ConditionSet(List.of(), first).error("SyncFailed", "wave 0 failed").build();

    assertThat(new ConditionSet(before, later).clear("SyncFailed").build()).isEmpty();
  }

  @Test
  void theRollbackPolicysConditionsStayUntilClearedAndKeepAllKeepsTheRest() {
    List<Condition> before =
        new ConditionSet(List.of(), first)
            .warning("RevisionBlocked", "automated sync does not apply abc")
            .warning("HealthGate", "sync #2 must be Healthy by …")
            .warning("RolledBack", "re-applied sync #1")
            .build();

    List<Condition> compared = new ConditionSet(before, later).build();
    List<Condition> afterRevert =
        new ConditionSet(before, later).keepAll().error("RevertFailed", "not a branch").build();

    assertThat(compared).extracting(Condition::reason).containsExactly("HealthGate", "RolledBack");
    assertThat(afterRevert)
        .extracting(Condition::reason)
        .containsExactlyInAnyOrder("RevisionBlocked", "HealthGate", "RolledBack", "RevertFailed");
    assertThat(afterRevert)
        .filteredOn(c -> c.reason().equals("RevisionBlocked"))
        .extracting(Condition::since)
        .containsExactly(first);
  }
}
