package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.store.AuditEntry;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tagflow audit [--since]}: who changed what, when, from where, with which result. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "List the audit log of the local data directory: every change made through the API, every"
          + " login, every token and user change (docs/auth.md)."
    })
final class AuditCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin DatabaseOption database;
  @Mixin OutputFormat output;

  @Option(
      names = "--since",
      defaultValue = "24h",
      paramLabel = "<when>",
      description =
          "A time (2026-03-01T10:00:00Z) or an age (30m, 24h, 7d); default ${DEFAULT-VALUE}.")
  String since;

  @Option(
      names = "--limit",
      defaultValue = "1000",
      paramLabel = "<n>",
      description = "At most this many entries, the newest (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    Instant from = since(since);
    if (limit < 1 || limit > 1_000_000) {
      throw TagflowException.invalidInput("--limit must be between 1 and 1000000, not " + limit);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (AccessContext context = new AccessContext(dataDir.resolve(), database.database)) {
      List<AuditEntry> entries = context.store().audit().since(from, limit);
      if (output.json()) {
        List<Map<String, Object>> json = new ArrayList<>();
        for (AuditEntry e : entries) {
          Map<String, Object> item = new LinkedHashMap<>();
          item.put("at", e.at().toString());
          item.put("actor", e.actor());
          item.put("action", e.action());
          item.put("object", e.object());
          item.put("address", e.address());
          item.put("result", e.result());
          json.add(item);
        }
        output.printJson(out, json);
      } else if (entries.isEmpty()) {
        out.println("Nothing in the audit log since " + from + ".");
      } else {
        OutputFormat.printTable(
            out,
            List.of("AT", "WHO", "WHAT", "OBJECT", "FROM", "RESULT"),
            entries.stream()
                .map(
                    e ->
                        List.of(
                            e.at().toString(),
                            e.actor(),
                            e.action(),
                            e.object(),
                            e.address(),
                            e.result()))
                .toList());
      }
      return ExitCode.OK;
    }
  }

  static Instant since(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notATime) {
      // An age, then.
    }
    try {
      long amount = Long.parseLong(text.substring(0, text.length() - 1));
      Duration age =
          switch (text.charAt(text.length() - 1)) {
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new NumberFormatException();
          };
      if (age.isNegative()) {
        throw new NumberFormatException();
      }
      return Instant.now().minus(age);
    } catch (RuntimeException e) {
      throw TagflowException.invalidInput(
          "--since must be a time like 2026-03-01T10:00:00Z or an age like 30m, 24h, 7d; got '"
              + text
              + "'");
    }
  }
}
