package dev.tagflow.server.config;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.store.DatabaseUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads the addresses of a settings file: where the server listens, its database, the URL clients
 * use and where remote actions come from; none may hold credentials.
 */
final class EndpointReader {

  private EndpointReader() {}

  /** An http, https or file URL without credentials (they come from the repositories'). */
  static Optional<String> actionsSource(YamlFields r, String text, SettingsProblems problems) {
    String written = text.strip();
    String example =
        " (e.g. https://github.com, or http://127.0.0.1:7070/git/{owner}-{repo}.git for this"
            + " server's Git server)";
    if (UrlRedaction.hasCredentials(written)) {
      problems.add(
          r.valueMark("actionsSource"),
          "actionsSource must not hold credentials; give them as a repository's credentials: write "
              + UrlRedaction.redact(written));
      return Optional.empty();
    }
    try {
      URI uri = new URI(written.replace("{owner}", "owner").replace("{repo}", "repo"));
      if (uri.getScheme() == null
          || !List.of("http", "https", "file").contains(uri.getScheme())
          || uri.getQuery() != null
          || uri.getFragment() != null) {
        problems.add(
            r.valueMark("actionsSource"),
            "actionsSource '" + written + "' must be an http, https or file URL" + example);
        return Optional.empty();
      }
      return Optional.of(written);
    } catch (URISyntaxException e) {
      problems.add(
          r.valueMark("actionsSource"),
          "actionsSource '" + written + "' is not a URL: " + e.getReason() + example);
      return Optional.empty();
    }
  }

  static Optional<ListenAddress> listen(YamlFields r, String text, SettingsProblems problems) {
    Optional<ListenAddress> address = ListenAddress.parse(text);
    if (address.isEmpty()) {
      problems.add(
          r.valueMark("listen"),
          "listen '"
              + text
              + "' must be host:port with a port up to 65535: 127.0.0.1:7070, 0.0.0.0:7070 for"
              + " every address, [::1]:7070, or port 0 for a free one");
    }
    return address;
  }

  /** The database URL as {@link DatabaseUrl} reads it, a relative SQLite file from the folder. */
  static Optional<DatabaseUrl> database(
      YamlFields r, String text, SettingsProblems problems, SettingsPaths paths) {
    String url = text.strip();
    String sqlite = "jdbc:sqlite:";
    if (url.startsWith(sqlite)) {
      String file = url.substring(sqlite.length());
      // In-memory and URI forms are DatabaseUrl's to refuse, with its words.
      if (!file.isEmpty()
          && !file.startsWith(":")
          && !file.startsWith("file:")
          && !file.contains("?")) {
        Optional<Path> resolved = paths.resolve(r, "database", file, problems);
        if (resolved.isEmpty()) {
          return Optional.empty();
        }
        url = sqlite + resolved.get();
      }
    }
    String where = problems.where(r.valueMark("database"));
    try {
      return Optional.of(DatabaseUrl.parse(url, where));
    } catch (TagflowException unsupported) {
      String message = unsupported.getMessage();
      problems.add(
          r.valueMark("database"),
          message.startsWith(where + ": ") ? message.substring(where.length() + 2) : message);
      return Optional.empty();
    }
  }

  static Optional<URI> publicUrl(YamlFields r, String text, SettingsProblems problems) {
    String written = text.strip();
    String example = " (e.g. https://tagflow.example.com)";
    if (UrlRedaction.hasCredentials(written)) {
      problems.add(
          r.valueMark("publicUrl"),
          "publicUrl must not hold credentials; it is shown to everyone: write "
              + UrlRedaction.redact(written));
      return Optional.empty();
    }
    try {
      URI uri = new URI(written);
      if (uri.getScheme() == null
          || !List.of("http", "https").contains(uri.getScheme())
          || uri.getHost() == null
          || uri.getQuery() != null
          || uri.getFragment() != null) {
        problems.add(
            r.valueMark("publicUrl"),
            "publicUrl '" + written + "' must be an http or https URL with a host" + example);
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      problems.add(
          r.valueMark("publicUrl"),
          "publicUrl '" + written + "' is not a URL: " + e.getReason() + example);
      return Optional.empty();
    }
  }
}
