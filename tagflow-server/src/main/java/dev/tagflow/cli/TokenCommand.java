package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.server.auth.ApiTokens;
import dev.tagflow.store.ApiTokenRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow token create|list|revoke}: the API tokens of the local data directory. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Create, list and revoke API tokens in the local data directory (docs/auth.md).",
      "A token is shown once, at creation; Tagflow keeps only its SHA-256 digest."
    })
final class TokenCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a token acting as --owner; prints it once.")
  int create(
      @Parameters(paramLabel = "NAME", description = "A unique name, e.g. ci-deploy.") String name,
      @Option(
              names = "--owner",
              required = true,
              paramLabel = "<user>",
              description = "The user the token acts as (its roles come from the RBAC policy).")
          String owner,
      @Option(
              names = "--expires",
              defaultValue = "90d",
              paramLabel = "<duration>",
              description = "Lifetime: 12h, 30d, … or 'never' (default: ${DEFAULT-VALUE}).")
          String expires,
      @Mixin DataDirOption dataDir,
      @Mixin DatabaseOption database) {
    Optional<Duration> lifetime = lifetime(expires);
    try (AccessContext context = new AccessContext(dataDir.resolve(), database.database)) {
      ApiTokens.Created created = context.tokens().create(name, owner, lifetime);
      context.audit("token create", name, "created for " + owner);
      PrintWriter out = spec.commandLine().getOut();
      out.println(created.text());
      spec.commandLine().getErr().println(created.summary());
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List tokens; never a secret.")
  int list(
      @Mixin DataDirOption dataDir, @Mixin DatabaseOption database, @Mixin OutputFormat output) {
    PrintWriter out = spec.commandLine().getOut();
    try (AccessContext context = new AccessContext(dataDir.resolve(), database.database)) {
      Instant now = Instant.now();
      List<Map<String, Object>> json = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      for (ApiTokenRecord token : context.tokens().list()) {
        String state =
            token.revokedAt().isPresent() ? "revoked" : token.validAt(now) ? "active" : "expired";
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", token.id());
        item.put("name", token.name());
        item.put("owner", token.owner());
        item.put("state", state);
        item.put("createdAt", token.createdAt().toString());
        item.put("expiresAt", token.expiresAt().map(Instant::toString).orElse(null));
        item.put("revokedAt", token.revokedAt().map(Instant::toString).orElse(null));
        json.add(item);
        rows.add(
            List.of(
                token.id(),
                token.name(),
                token.owner(),
                state,
                token.createdAt().toString(),
                token.expiresAt().map(Instant::toString).orElse("never")));
      }
      if (output.json()) {
        output.printJson(out, json);
      } else if (rows.isEmpty()) {
        out.println("No tokens; create one with 'tagflow token create NAME --owner <user>'.");
      } else {
        OutputFormat.printTable(
            out, List.of("ID", "NAME", "OWNER", "STATE", "CREATED", "EXPIRES"), rows);
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a token by id or name; it stops working at once.")
  int revoke(
      @Parameters(paramLabel = "ID-OR-NAME") String idOrName,
      @Mixin DataDirOption dataDir,
      @Mixin DatabaseOption database) {
    try (AccessContext context = new AccessContext(dataDir.resolve(), database.database)) {
      Optional<ApiTokenRecord> revoked = context.tokens().revoke(idOrName);
      if (revoked.isEmpty()) {
        throw TagflowException.invalidInput(
            "no token with id or name '" + idOrName + "': 'tagflow token list' shows them");
      }
      context.audit("token revoke", revoked.get().name(), "revoked");
      spec.commandLine()
          .getOut()
          .println(
              "Token "
                  + revoked.get().name()
                  + " revoked at "
                  + revoked.get().revokedAt().orElseThrow()
                  + ".");
      return ExitCode.OK;
    }
  }

  /** {@code 12h}, {@code 30d}, {@code 90m} or {@code never}. */
  static Optional<Duration> lifetime(String text) {
    return ApiTokens.lifetime("--expires", text);
  }
}
