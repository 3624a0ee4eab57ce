package dev.tagflow.cli;

import dev.tagflow.store.PromotionRecord;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow approvals reject <id>}: rejects a request and deletes its branch. */
@Command(
    name = "reject",
    mixinStandardHelpOptions = true,
    description = "Reject a pending promotion request; its branch is deleted, main is not touched.")
final class ApprovalsRejectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin OutputFormat output;
  @Mixin ApproverOptions approver;

  @Parameters(paramLabel = "<id>", description = "The request's id (tagflow approvals list).")
  long id;

  @Option(names = "--reason", paramLabel = "<text>", description = "Why, for the record.")
  String reason = "";

  @Override
  public Integer call() {
    try (PromotionContext context = new PromotionContext(dataDir.resolve())) {
      PromotionRecord request =
          context.audited(
              "approvals reject",
              id,
              approver.approver(),
              () -> context.writer().reject(id, approver.approver(), reason));
      if (output.json()) {
        output.printJson(spec.commandLine().getOut(), ApprovalsListCommand.json(request));
      } else {
        spec.commandLine().getOut().println("request " + id + " " + request.message());
      }
      return ExitCode.OK;
    }
  }
}
