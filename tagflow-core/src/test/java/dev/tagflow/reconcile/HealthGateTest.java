package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.SyncPolicy.Rollback;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.reconcile.ApplicationStatus.Operation;
import dev.tagflow.reconcile.HealthGate.Verdict;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.sync.SyncStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthGateTest {

  static final Instant STARTED = Instant.parse("2026-12-06T10:00:00Z");

  /** A sync that ended, as the gate judges it (sync #7). */
  static final Operation SYNC =
      new Operation(
          7,
          SyncTrigger.AUTOMATION,
          new GitRevision("main", "0123456789abcdef0123456789abcdef01234567"),
          SyncStatus.SUCCEEDED,
          "",
          "",
          ChangeSet.empty(),
          STARTED,
          Optional.of(STARTED));

  private static Rollback policy(boolean onDegraded, Duration timeout) {
    return new Rollback(onDegraded, timeout, false);
  }

  private static Instant at(long seconds) {
    return STARTED.plusSeconds(seconds);
  }

  @Test
  void healthyInTimePasses() {
    assertThat(
            HealthGate.judge(
                policy(true, Duration.ofMinutes(5)),
                SYNC,
                HealthStatus.healthy(""),
                Optional.empty(),
                at(10)))
        .isInstanceOf(Verdict.Passed.class);
  }

  @Test
  void aSuspendedApplicationPassesBecauseItsAuthorPausedIt() {
    assertThat(
            HealthGate.judge(
                policy(true, Duration.ofMinutes(5)),
                SYNC,
                HealthStatus.suspended("paused"),
                Optional.empty(),
                at(10)))
        .isInstanceOf(Verdict.Passed.class);
  }

  @Test
  void progressingBeforeTheTimeoutWaitsUntilTheTimeout() {
    Verdict verdict =
        HealthGate.judge(
            policy(true, Duration.ofMinutes(5)),
            SYNC,
            HealthStatus.progressing("1 of 2 replicas updated"),
            Optional.empty(),
            at(60));

    assertThat(verdict).isInstanceOf(Verdict.Waiting.class);
    assertThat(((Verdict.Waiting) verdict).next())
        .isBetween(Duration.ofMinutes(4), Duration.ofMinutes(4).plusSeconds(1));
  }

  @Test
  void notHealthyAtTheTimeoutFailsWithTheHealthInTheReason() {
    Verdict verdict =
        HealthGate.judge(
            policy(false, Duration.ofMinutes(2)),
            SYNC,
            HealthStatus.progressing("waiting for 1 ready replica"),
            Optional.empty(),
            at(120));

    assertThat(verdict).isInstanceOf(Verdict.Failed.class);
    assertThat(((Verdict.Failed) verdict).why())
        .isEqualTo(
            "not Healthy within 2m after sync #7 started (Progressing: waiting for 1 ready replica)");
  }

  @Test
  void aBrieflyDegradedApplicationIsNotRolledBack() {
    // A Pod that crashes once while a dependency starts.
    Verdict verdict =
        HealthGate.judge(
            policy(true, Duration.ofMinutes(5)),
            SYNC,
            HealthStatus.degraded("CrashLoopBackOff"),
            Optional.of(at(5)),
            at(35));

    assertThat(verdict).isInstanceOf(Verdict.Waiting.class);
    assertThat(((Verdict.Waiting) verdict).next())
        .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(31));
  }

  @Test
  void degradedPastTheSettlePeriodFailsWithOnDegraded() {
    Verdict verdict =
        HealthGate.judge(
            policy(true, Duration.ofMinutes(5)),
            SYNC,
            HealthStatus.degraded("CrashLoopBackOff"),
            Optional.of(at(5)),
            at(65));

    assertThat(verdict).isInstanceOf(Verdict.Failed.class);
    assertThat(((Verdict.Failed) verdict).why())
        .isEqualTo("Degraded for 1m after sync #7 (CrashLoopBackOff)");
  }

  @Test
  void degradedWithoutOnDegradedWaitsForTheTimeout() {
    assertThat(
            HealthGate.judge(
                policy(false, Duration.ofMinutes(5)),
                SYNC,
                HealthStatus.degraded("CrashLoopBackOff"),
                Optional.of(at(5)),
                at(120)))
        .isInstanceOf(Verdict.Waiting.class);
  }

  @Test
  void aTimeoutShorterThanTheSettlePeriodShortensIt() {
    assertThat(
            HealthGate.judge(
                policy(true, Duration.ofSeconds(20)),
                SYNC,
                HealthStatus.degraded("CrashLoopBackOff"),
                Optional.of(at(0)),
                at(20)))
        .isInstanceOf(Verdict.Failed.class);
  }

  @Test
  void aSyncThatPassedIsRolledBackOnlyWhenItStaysDegradedForTheSettlePeriod() {
    Rollback watching = new Rollback(true, Duration.ofMinutes(5), false, true);

    assertThat(
            HealthGate.afterPassed(
                watching,
                SYNC,
                HealthStatus.progressing("1/2 available"),
                Optional.empty(),
                at(900)))
        .isInstanceOf(Verdict.Passed.class);
    assertThat(
            HealthGate.afterPassed(
                watching,
                SYNC,
                HealthStatus.degraded("Pod crashed"),
                Optional.of(at(900)),
                at(930)))
        .isEqualTo(new Verdict.Waiting(Duration.ofSeconds(30).plusMillis(200)));
    Verdict lasting =
        HealthGate.afterPassed(
            watching, SYNC, HealthStatus.degraded("Pod crashed"), Optional.of(at(900)), at(960));
    assertThat(lasting).isInstanceOf(Verdict.Failed.class);
    assertThat(((Verdict.Failed) lasting).why())
        .isEqualTo("Degraded for 1m after sync #7 had passed its health gate (Pod crashed)");
  }

  @Test
  void aSyncThatPassedHasNoTimeoutAnyMore() {
    assertThat(
            HealthGate.afterPassed(
                new Rollback(true, Duration.ofMinutes(5), false, true),
                SYNC,
                HealthStatus.progressing("scaling"),
                Optional.empty(),
                at(3600)))
        .isInstanceOf(Verdict.Passed.class);
  }
}
