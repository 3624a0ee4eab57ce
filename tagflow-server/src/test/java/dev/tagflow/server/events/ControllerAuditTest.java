package dev.tagflow.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.reconcile.StatusChange;
import dev.tagflow.store.AuditEntry;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.Event;
import dev.tagflow.store.EventType;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerAuditTest {

  @TempDir Path data;

  @Test
  void thePolicysRollbackAndItsRevertAreAuditedAPersonsRollbackAndOtherEventsAreNot() {
    try (JdbcStore store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      ControllerAudit audit = new ControllerAudit(store.audit());
      Instant t = Instant.parse("2026-03-01T10:00:00Z");

      audit.accept(event(t, EventType.WARNING, "RollbackStarted", "sync #4 rolls back to sync #3"));
      audit.accept(event(t.plusSeconds(1), EventType.NORMAL, "RevertCommitted", "on main: abc"));
      // A person's rollback: audited by the API's gate already.
      audit.accept(event(t.plusSeconds(2), EventType.NORMAL, "RollbackStarted", "sync #5 ..."));
      audit.accept(event(t.plusSeconds(3), EventType.NORMAL, "SyncSucceeded", "synced"));
      audit.accept(new StatusChange.Removed("web-dev"));

      assertThat(store.audit().since(Instant.EPOCH, 10))
          .containsExactly(
              new AuditEntry(
                  t,
                  "controller",
                  "rollback",
                  "web-dev",
                  "server",
                  "RollbackStarted: sync #4 rolls back to sync #3"),
              new AuditEntry(
                  t.plusSeconds(1),
                  "controller",
                  "revert commit",
                  "web-dev",
                  "server",
                  "RevertCommitted: on main: abc"));
    }
  }

  private static StatusChange event(Instant at, EventType type, String reason, String message) {
    return new StatusChange.Recorded(new Event("web-dev", at, type, reason, message), "abc");
  }
}
