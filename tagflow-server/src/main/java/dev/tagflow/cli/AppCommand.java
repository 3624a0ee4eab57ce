package dev.tagflow.cli;

import dev.tagflow.cli.client.ClientFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tagflow app}: the applications of a Tagflow server, through its API. */
@Command(
    name = "app",
    mixinStandardHelpOptions = true,
    description = {
      "List, show, diff, sync, roll back and wait for the applications of a Tagflow server"
          + " (tagflow login first, or --server with TAGFLOW_TOKEN). See docs/cli.md.",
      "Exit codes: 0 done, 1 failed (app diff: differs), 2 invalid input, 3 refused by the"
          + " server (a sync running, a sync window), 4 not found, 5 credentials refused or not"
          + " allowed, 6 timed out, 7 degraded, 8 server unreachable."
    },
    subcommands = {
      AppListCommand.class,
      AppGetCommand.class,
      AppDiffCommand.class,
      AppSyncCommand.class,
      AppRollbackCommand.class,
      AppHistoryCommand.class,
      AppWaitCommand.class
    })
final class AppCommand implements Runnable {

  /** An application name, as the server takes it: checked before it goes into a URL. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  static final String PATH = "/api/v1/applications";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The API path of one application, its name checked. */
  static String path(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new ClientFailure(
          ExitCode.INVALID_INPUT,
          "'"
              + (name.length() > 64 ? name.substring(0, 64) + "…" : name)
              + "' is not an application name: lower-case letters, digits, '-' and '.'");
    }
    return PATH + "/" + name;
  }

  /** The text at a path of fields of an answer, or "" when absent. */
  static String text(Object answer, String... fields) {
    Object value = answer;
    for (String field : fields) {
      value = value instanceof Map<?, ?> map ? map.get(field) : null;
    }
    return value == null ? "" : String.valueOf(value);
  }

  /** The maps of a list field of an answer. */
  static List<Map<?, ?>> items(Object answer, String field) {
    List<Map<?, ?>> items = new ArrayList<>();
    if (answer instanceof Map<?, ?> map && map.get(field) instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> m) {
          items.add(m);
        }
      }
    }
    return items;
  }

  /** A commit as tables show it. */
  static String shortCommit(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }
}
