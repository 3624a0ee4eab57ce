package dev.tagflow.cli;

import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionRecord.PromotionState;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow approvals approve <id>}: approves; the last approval needed merges. */
@Command(
    name = "approve",
    mixinStandardHelpOptions = true,
    description = {
      "Approve a pending promotion request. The approval that makes enough distinct approvers"
          + " (never the release's author) merges its branch into the environment repository's"
          + " main branch: as it is when main has not moved, else rebased onto it.",
      "Exit code 0 when approved (and merged if it was the last approval needed), 2 when the"
          + " request cannot be approved by you, 1 when merging failed (it is pending again)."
    })
final class ApprovalsApproveCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin OutputFormat output;
  @Mixin ApproverOptions approver;

  @Parameters(paramLabel = "<id>", description = "The request's id (tagflow approvals list).")
  long id;

  @Override
  public Integer call() {
    try (PromotionContext context = new PromotionContext(dataDir.resolve())) {
      PromotionRecord request =
          context.audited(
              "approvals approve",
              id,
              approver.approver(),
              () -> context.writer().approve(id, approver.approver()));
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        output.printJson(out, ApprovalsListCommand.json(request));
      } else if (request.state() == PromotionState.MERGED) {
        out.println("request " + id + " " + request.message());
      } else {
        out.println(
            "request "
                + id
                + " approved ("
                + request.approvals().size()
                + " of "
                + request.draft().requiredApprovals()
                + "); "
                + request.state().displayName().toLowerCase());
      }
      return ExitCode.OK;
    }
  }
}
