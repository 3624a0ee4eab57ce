package dev.tagflow.cli;

import dev.tagflow.store.PromotionDraft;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionRecord.PromotionState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tagflow approvals list}: the promotion requests, newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List promotion requests, newest first (pending ones unless --all or --state).")
final class ApprovalsListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin OutputFormat output;

  @Option(
      names = "--state",
      paramLabel = "<state>",
      description = "pending, approved, rejected, merged or superseded.")
  String state;

  @Option(names = "--all", description = "Requests in every state.")
  boolean all;

  @Override
  public Integer call() {
    Optional<PromotionState> filter = all ? Optional.empty() : Optional.of(state());
    try (PromotionContext context = new PromotionContext(dataDir.resolve())) {
      List<PromotionRecord> requests = context.store().promotions().list(filter);
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        output.printJson(out, requests.stream().map(ApprovalsListCommand::json).toList());
        return ExitCode.OK;
      }
      List<List<String>> rows = new ArrayList<>();
      for (PromotionRecord r : requests) {
        PromotionDraft d = r.draft();
        rows.add(
            List.of(
                String.valueOf(r.id()),
                d.environment(),
                d.release() + " " + d.source().replaceFirst("^(tag|branch) ", ""),
                d.changes().stream()
                    .map(c -> c.path() + "=" + c.value())
                    .collect(Collectors.joining(",")),
                r.state().displayName(),
                r.approvals().size() + "/" + d.requiredApprovals(),
                d.roles().isEmpty() ? "-" : String.join(",", d.roles()),
                r.message().isEmpty() ? "-" : r.message()));
      }
      OutputFormat.printTable(
          out,
          List.of(
              "ID", "ENVIRONMENT", "RELEASE", "VALUES", "STATE", "APPROVALS", "ROLES", "MESSAGE"),
          rows);
      return ExitCode.OK;
    }
  }

  private PromotionState state() {
    if (state == null) {
      return PromotionState.PENDING;
    }
    try {
      return PromotionState.valueOf(state.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw dev.tagflow.TagflowException.invalidInput(
          "--state "
              + state
              + " is not a state; use pending, approved, rejected, merged or superseded");
    }
  }

  static Map<String, Object> json(PromotionRecord r) {
    return dev.tagflow.server.api.PromotionView.json(r);
  }
}
