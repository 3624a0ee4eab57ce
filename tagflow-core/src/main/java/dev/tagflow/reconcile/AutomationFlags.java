package dev.tagflow.reconcile;

import dev.tagflow.app.Application;
import dev.tagflow.app.SyncPolicy;
import dev.tagflow.reconcile.ApplicationStatus.Automation;
import dev.tagflow.reconcile.ApplicationStatus.BlockedRevision;
import dev.tagflow.store.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The automation flags of an application's status: automated and self-heal as its policy says,
 * automation enabled again, and revisions blocked or unblocked, as people ask between reconciles.
 */
final class AutomationFlags {

  private final StatusBoard board;

  AutomationFlags(StatusBoard board) {
    this.board = board;
  }

  /**
   * Sets the flags from the Application's policy, handles the requests that change flags now, and
   * keeps syncs and rollbacks for their turn.
   */
  void update(AppRuntime rt, Instant now) {
    rt.status = rt.status.withAutomation(policy(rt.status.automation(), rt.application));
    for (Request request : rt.takeRequests()) {
      Automation automation = rt.status.automation();
      switch (request) {
        case Request.EnableAutomation enable -> {
          if (automation.disabled().isPresent()) {
            rt.status = rt.status.withAutomation(automation.withDisabled(Optional.empty()));
            board.record(
                rt.name,
                "-",
                EventType.NORMAL,
                "AutomationEnabled",
                "automated sync follows Git again");
          }
        }
        case Request.BlockRevision block -> {
          if (!automation.isBlocked(block.commit())) {
            List<BlockedRevision> blocked = new ArrayList<>(automation.blocked());
            blocked.add(new BlockedRevision(block.commit(), block.reason(), now));
            rt.status = rt.status.withAutomation(automation.withBlocked(blocked));
            board.record(
                rt.name,
                block.commit(),
                EventType.WARNING,
                "RevisionBlocked",
                "automated sync will not apply " + block.commit() + ": " + block.reason());
          }
        }
        case Request.UnblockRevision unblock -> {
          rt.status =
              rt.status.withAutomation(
                  automation.withBlocked(
                      automation.blocked().stream()
                          .filter(b -> !b.commit().equals(unblock.commit()))
                          .toList()));
        }
        case Request.HardRefresh hard -> rt.hardRefresh = true;
        case Request.SyncNow syncNow -> rt.operationRequests.addLast(syncNow);
        case Request.Rollback rollback -> rt.operationRequests.addLast(rollback);
      }
    }
  }

  private static Automation policy(Automation automation, Application application) {
    Optional<SyncPolicy.Automated> automated = application.syncPolicy().automated();
    return automation.withPolicy(
        automated.isPresent(), automated.map(SyncPolicy.Automated::selfHeal).orElse(false));
  }
}
