package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.store.UserRecord;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow user add|passwd|remove|list}: the local users the web UI logs in with. */
@Command(
    name = "user",
    mixinStandardHelpOptions = true,
    description = {
      "Add, change, remove and list the local users of the web UI (docs/auth.md).",
      "Passwords are asked twice on the terminal, or read from the first line of stdin with"
          + " --password-stdin; never from an argument. Tagflow keeps only their Argon2id hash."
    })
final class UserCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user.")
  int add(
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = "--password-stdin",
              description = "Read the password from the first line of stdin.")
          boolean fromStdin,
      @Mixin DataDirOption dataDir,
      @Mixin DatabaseOption database) {
    String password = password(fromStdin);
    try (AccessContext context = new AccessContext(dataDir.resolve(), database.database)) {
      context.users().add(name, password);
      context.audit("user add", name, "added");
      spec.commandLine()
          .getOut()
          .println(
              "User "
                  + name
                  + " added. Grant a role in the settings' rbac.policy, e.g. 'g, "
                  + name
                  + ", role:viewer'.");
      return ExitCode.OK;
    }
  }

  @Command(
      name = "passwd",
      mixinStandardHelpOptions = true,
      description = "Set a user's password; their sessions end.")
  int passwd(
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = "--password-stdin",
              description = "Read the password from the first line of stdin.")
          boolean fromStdin,
      @Mixin DataDirOption dataDir,
      @Mixin DatabaseOption database) {
    String password = password(fromStdin);
    try (AccessContext context = new AccessContext(dataDir.resolve(), database.database)) {
      context.users().setPassword(name, password);
      context.audit("user passwd", name, "changed");
      spec.commandLine()
          .getOut()
          .println("Password of " + name + " changed; their sessions ended.");
      return ExitCode.OK;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove a user; their sessions end and their tokens are revoked.")
  int remove(
      @Parameters(paramLabel = "NAME") String name,
      @Mixin DataDirOption dataDir,
      @Mixin DatabaseOption database) {
    try (AccessContext context = new AccessContext(dataDir.resolve(), database.database)) {
      context.users().remove(name);
      context.audit("user remove", name, "removed");
      spec.commandLine()
          .getOut()
          .println("User " + name + " removed; their sessions ended and their tokens revoked.");
      return ExitCode.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
  int list(
      @Mixin DataDirOption dataDir, @Mixin DatabaseOption database, @Mixin OutputFormat output) {
    PrintWriter out = spec.commandLine().getOut();
    try (AccessContext context = new AccessContext(dataDir.resolve(), database.database)) {
      List<Map<String, Object>> json = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      for (UserRecord user : context.users().list()) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", user.name());
        item.put("createdAt", user.createdAt().toString());
        item.put("passwordChangedAt", user.updatedAt().toString());
        json.add(item);
        rows.add(List.of(user.name(), user.createdAt().toString(), user.updatedAt().toString()));
      }
      if (output.json()) {
        output.printJson(out, json);
      } else if (rows.isEmpty()) {
        out.println("No users; add one with 'tagflow user add NAME'.");
      } else {
        OutputFormat.printTable(out, List.of("NAME", "CREATED", "PASSWORD CHANGED"), rows);
      }
      return ExitCode.OK;
    }
  }

  /** The first line of stdin with --password-stdin, else asked twice on the terminal. */
  private static String password(boolean fromStdin) {
    if (!fromStdin) {
      Console console = System.console();
      if (console == null) {
        throw TagflowException.invalidInput(
            "no terminal to ask the password on: pipe it in with --password-stdin");
      }
      char[] first = console.readPassword("Password: ");
      char[] second = console.readPassword("Again: ");
      try {
        if (first == null || second == null || !Arrays.equals(first, second)) {
          throw TagflowException.invalidInput("the two passwords differ: nothing changed");
        }
        return new String(first);
      } finally {
        if (first != null) {
          Arrays.fill(first, ' ');
        }
        if (second != null) {
          Arrays.fill(second, ' ');
        }
      }
    }
    try {
      String line =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null || line.isEmpty()) {
        throw TagflowException.invalidInput(
            "no password on stdin: printf '%s\\n' \"$PASSWORD\" | tagflow user add NAME"
                + " --password-stdin");
      }
      return line;
    } catch (IOException e) {
      throw TagflowException.failed("could not read the password from stdin: " + e.getMessage());
    }
  }
}
