package dev.tagflow.cli;

import dev.tagflow.cli.client.ApiConnection;
import dev.tagflow.cli.client.ClientFailure;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code tagflow repo} verbs against a server's API ({@code /api/v1/repositories}), for {@code
 * repo add|list} given {@code --server} or {@code --context} and for {@code repo rm}: the
 * repositories a running server follows, added with the name of a stored secret, never a value.
 */
final class RepoServerVerbs {

  static final String PATH = "/api/v1/repositories";

  /** {@code owner/name}, as the server names a repository: checked before it goes into a URL. */
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}/[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

  private RepoServerVerbs() {}

  /** Adds {@code url}; the server's answer. */
  static Map<String, Object> add(
      ApiConnection api, String url, Optional<String> username, Optional<String> secret) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", url);
    username.ifPresent(u -> body.put("username", u));
    secret.ifPresent(s -> body.put("passwordSecret", s));
    return api.post(PATH, body);
  }

  /** One line saying what was added, never a secret (only its name). */
  static String added(Map<String, Object> repository) {
    return "Added "
        + AppCommand.text(repository, "name")
        + " ("
        + AppCommand.text(repository, "url")
        + (repository.containsKey("passwordSecret")
            ? ", logs in with secret " + AppCommand.text(repository, "passwordSecret")
            : ", anonymous")
        + "); the server polls it now";
  }

  static List<Map<?, ?>> list(ApiConnection api) {
    return AppCommand.items(api.get(PATH), "items");
  }

  static void printTable(PrintWriter out, PrintWriter err, List<Map<?, ?>> items) {
    if (items.isEmpty()) {
      err.println("No repositories (that you may see).");
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Map<?, ?> item : items) {
      String login =
          item.containsKey("passwordSecret")
              ? (item.containsKey("username") ? AppCommand.text(item, "username") + " / " : "")
                  + "secret "
                  + AppCommand.text(item, "passwordSecret")
              : "";
      rows.add(
          List.of(
              AppCommand.text(item, "name"),
              AppCommand.text(item, "url"),
              AppCommand.text(item, "source"),
              login));
    }
    ClientOutput.table(out, List.of("NAME", "URL", "SOURCE", "LOGIN"), rows);
  }

  /** Removes the repository {@code owner/name}; the server's answer (what was removed). */
  static void remove(ApiConnection api, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new ClientFailure(
          ExitCode.INVALID_INPUT,
          "'"
              + (name.length() > 64 ? name.substring(0, 64) + "…" : name)
              + "' is not a repository name: owner/name as tagflow repo list --server shows it");
    }
    api.delete(PATH + "/" + name);
  }
}
