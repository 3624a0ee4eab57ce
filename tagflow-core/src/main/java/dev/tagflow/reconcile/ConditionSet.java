package dev.tagflow.reconcile;

import dev.tagflow.reconcile.ApplicationStatus.Condition;
import dev.tagflow.reconcile.ApplicationStatus.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conditions of one reconcile, built from those of the last: a condition set again keeps the
 * time it was first seen; one not set again is gone, except the conditions a sync leaves ({@link
 * #SYNC_OUTCOMES}), which stay until the next sync ends.
 */
final class ConditionSet {

  /**
   * Reasons a sync's end sets, kept until another sync ends (or, for the rollback policy's, until a
   * later sync passes its health gate).
   */
  static final Set<String> SYNC_OUTCOMES =
      Set.of(
          "SyncFailed",
          "NeedsConfirmation",
          HealthGate.CONDITION,
          HealthGate.WATCH,
          PolicyRollback.ROLLED_BACK,
          PolicyRollback.REVERT_FAILED,
          PolicyRollback.IMPOSSIBLE);

  private final Map<String, Condition> previous = new LinkedHashMap<>();
  private final Map<String, Condition> next = new LinkedHashMap<>();
  private final Instant now;

  ConditionSet(List<Condition> before, Instant now) {
    this.now = now;
    for (Condition condition : before) {
      previous.put(condition.reason(), condition);
      if (SYNC_OUTCOMES.contains(condition.reason())) {
        next.put(condition.reason(), condition);
      }
    }
  }

  ConditionSet error(String reason, String message) {
    return set(Severity.ERROR, reason, message);
  }

  ConditionSet warning(String reason, String message) {
    return set(Severity.WARNING, reason, message);
  }

  /** Removes a condition (a sync outcome, once a sync ends). */
  ConditionSet clear(String reason) {
    next.remove(reason);
    return this;
  }

  /** Keeps a condition of the last reconcile as it was (a step that did not run this time). */
  ConditionSet keep(String reason) {
    Condition before = previous.get(reason);
    if (before != null) {
      next.put(reason, before);
    }
    return this;
  }

  /** Keeps every condition of the last reconcile not set again (a change outside a comparison). */
  ConditionSet keepAll() {
    previous.forEach(next::putIfAbsent);
    return this;
  }

  List<Condition> build() {
    return List.copyOf(next.values());
  }

  private ConditionSet set(Severity severity, String reason, String message) {
    Condition before = previous.get(reason);
    Instant since = before != null ? before.since() : now;
    next.put(reason, new Condition(severity, reason, message, since));
    return this;
  }
}
