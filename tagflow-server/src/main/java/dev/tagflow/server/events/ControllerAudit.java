package dev.tagflow.server.events;

import dev.tagflow.reconcile.StatusChange;
import dev.tagflow.store.AuditEntry;
import dev.tagflow.store.AuditLog;
import dev.tagflow.store.Event;
import dev.tagflow.store.EventType;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the changes the controller makes on its own in the audit log, beside people's: a rollback by
 * the rollback policy, its revert commit in Git, and their failures. A person's rollback is already
 * audited by the API's access gate, so only the policy's is recorded here (its event is a warning).
 * Actor {@value #ACTOR}, address {@value #ADDRESS}.
 */
public final class ControllerAudit implements Consumer<StatusChange> {

  static final String ACTOR = "controller";
  static final String ADDRESS = "server";

  private static final Logger log = LoggerFactory.getLogger(ControllerAudit.class);

  /** The events audited, and the action each is recorded as. */
  private static final Map<String, String> ACTIONS =
      Map.of(
          "RollbackStarted", "rollback",
          "RollbackFailed", "rollback",
          "RevertCommitted", "revert commit",
          "RevertFailed", "revert commit");

  private final AuditLog audit;

  public ControllerAudit(AuditLog audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  @Override
  public void accept(StatusChange change) {
    if (!(change instanceof StatusChange.Recorded recorded)) {
      return;
    }
    Event event = recorded.event();
    String action = ACTIONS.get(event.reason());
    if (action == null
        || (event.reason().equals("RollbackStarted") && event.type() != EventType.WARNING)) {
      return;
    }
    try {
      audit.record(
          new AuditEntry(
              event.time(),
              ACTOR,
              action,
              event.application(),
              ADDRESS,
              event.reason() + ": " + event.message()));
    } catch (RuntimeException e) {
      log.error(
          "application={} revision={}: could not audit {}",
          event.application(),
          recorded.revision(),
          event.reason(),
          e);
    }
  }
}
