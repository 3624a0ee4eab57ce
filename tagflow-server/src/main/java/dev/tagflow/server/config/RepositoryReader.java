package dev.tagflow.server.config;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.app.Suggestion;
import dev.tagflow.server.config.ServerSettings.ApplicationFiles;
import dev.tagflow.server.config.ServerSettings.Repository;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCredentials;
import dev.tagflow.source.RepoEntry;
import dev.tagflow.source.SemVerRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code repositories:} and {@code applications:} of a settings file: the repositories with
 * their credentials by file, and the folders of Application files, each naming one of them.
 */
final class RepositoryReader {

  private static final List<String> REPOSITORY_KEYS =
      List.of("name", "url", "pollInterval", "credentials");
  private static final List<String> CREDENTIAL_KEYS =
      List.of("tokenFile", "username", "passwordFile", "sshKey", "knownHosts");
  private static final List<String> APPLICATION_KEYS = List.of("repository", "revision", "path");

  /** Polling more often than this only loads the Git host; webhooks are for being quick. */
  private static final Duration LEAST_POLL_INTERVAL = Duration.ofSeconds(1);

  private static final String RANGE_MARKS = "<>=^~*| ";

  private final SettingsProblems problems;
  private final SettingsPaths paths;

  /**
   * Every repository name the file gives, valid or not: an application naming one with a mistake of
   * its own is not also told that the repository is not there.
   */
  private final List<String> declared = new ArrayList<>();

  RepositoryReader(SettingsProblems problems, SettingsPaths paths) {
    this.problems = problems;
    this.paths = paths;
  }

  List<Repository> repositories(YamlFields root) {
    List<Repository> out = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    Map<String, String> urls = new HashMap<>();
    for (YamlFields r : root.mappings("repositories")) {
      r.string("name")
          .or(() -> r.string("url").map(u -> RepoEntry.defaultName(UrlRedaction.redact(u))))
          .ifPresent(declared::add);
      Optional<Repository> repository = repository(r);
      if (repository.isEmpty()) {
        continue;
      }
      String name = repository.get().name();
      int line = r.start().getLine() + 1;
      Integer first = names.putIfAbsent(name, line);
      if (first != null) {
        problems.add(
            r.has("name") ? r.valueMark("name") : r.valueMark("url"),
            "a second repository named '"
                + name
                + "' (the first is at line "
                + first
                + "); give each repository its own name");
        continue;
      }
      String earlier = urls.putIfAbsent(repository.get().url(), name);
      if (earlier != null) {
        problems.add(
            r.valueMark("url"),
            r.child("url")
                + " "
                + repository.get().url()
                + " is repository '"
                + earlier
                + "' already; list each repository once");
        continue;
      }
      out.add(repository.get());
    }
    return out;
  }

  private Optional<Repository> repository(YamlFields r) {
    Optional<String> url = r.requiredString("url", "https://git.example.com/acme/environments.git");
    Optional<String> location = url.flatMap(u -> location(r, u));
    Duration interval =
        r.duration(
                "pollInterval", LEAST_POLL_INTERVAL, "a Git host is asked that often; use webhooks")
            .orElse(Repository.DEFAULT_POLL_INTERVAL);
    Optional<String> givenName = r.string("name");
    // Absent: anyone may read it. Present but wrong: refused, rather than tried without a login.
    Optional<RepoCredentials> credentials =
        r.has("credentials")
            ? r.mapping("credentials").flatMap(this::credentials)
            : Optional.of(RepoCredentials.none());
    r.finish(REPOSITORY_KEYS, misplacedCredentials());
    if (location.isEmpty() || credentials.isEmpty()) {
      return Optional.empty();
    }
    String name = givenName.orElseGet(() -> RepoEntry.defaultName(location.get()));
    try {
      return Optional.of(
          new Repository(new RepoEntry(name, location.get(), credentials.get()), interval));
    } catch (TagflowException invalidName) {
      problems.add(
          r.has("name") ? r.valueMark("name") : r.valueMark("url"),
          r.child("name") + ": " + invalidName.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The URL to fetch: never with credentials; a local path made absolute from the file's folder.
   */
  private Optional<String> location(YamlFields r, String url) {
    String written = url.strip();
    if (UrlRedaction.hasCredentials(written)) {
      // The message shows the URL without them: the "user" of a URL is often a token.
      problems.add(
          r.valueMark("url"),
          r.child("url")
              + " holds credentials (before its '@'), and Tagflow keeps secrets only in files:"
              + " write url: "
              + UrlRedaction.redact(written)
              + " and credentials: {tokenFile: <file holding the token>} (or {username: <user>,"
              + " passwordFile: <file>})");
      return Optional.empty();
    }
    if (RemoteAccess.isLocal(written) && !written.startsWith("file:")) {
      return paths.resolve(r, "url", written, problems).map(Path::toString);
    }
    return Optional.of(written);
  }

  /** The one way to log in the mapping gives; empty, with problems added, when it is not one. */
  private Optional<RepoCredentials> credentials(YamlFields c) {
    boolean token = c.has("tokenFile");
    boolean basic = c.has("username") || c.has("passwordFile");
    boolean ssh = c.has("sshKey") || c.has("knownHosts");
    c.finish(CREDENTIAL_KEYS);
    if ((token ? 1 : 0) + (basic ? 1 : 0) + (ssh ? 1 : 0) > 1) {
      problems.add(
          c.start(),
          c.path()
              + " gives more than one way to log in; give one: {tokenFile}, {username,"
              + " passwordFile} or {sshKey, knownHosts}");
      return Optional.empty();
    }
    if (token) {
      return paths
          .existingFile(c, "tokenFile", "the access token, on one line", problems)
          .map(RepoCredentials.Token::new);
    }
    if (basic) {
      Optional<String> user = c.requiredString("username", "tagflow");
      Optional<Path> password =
          c.has("passwordFile")
              ? paths.existingFile(c, "passwordFile", "the password, on one line", problems)
              : missing(c, "passwordFile", "/etc/tagflow/git-password");
      return user.flatMap(u -> password.map(p -> new RepoCredentials.Basic(u, p)));
    }
    if (ssh) {
      Optional<Path> key =
          c.has("sshKey")
              ? paths.existingFile(c, "sshKey", "the SSH private key", problems)
              : missing(c, "sshKey", "~/.ssh/id_ed25519");
      Optional<Path> knownHosts =
          c.has("knownHosts")
              ? paths.existingFile(
                  c, "knownHosts", "the Git host's key; unknown hosts are refused", problems)
              : missing(c, "knownHosts", "~/.ssh/known_hosts");
      return key.flatMap(k -> knownHosts.map(h -> new RepoCredentials.SshKey(k, h)));
    }
    problems.add(
        c.start(),
        c.path()
            + " is empty; give {tokenFile}, {username, passwordFile} or {sshKey, knownHosts},"
            + " or remove it for a repository anyone may read");
    return Optional.empty();
  }

  private Optional<Path> missing(YamlFields c, String key, String example) {
    problems.add(c.start(), "missing " + c.child(key) + " (e.g. " + example + ")");
    return Optional.empty();
  }

  /** Where repositories.yaml keeps credentials flat, the settings nest them. */
  private static Map<String, String> misplacedCredentials() {
    Map<String, String> hints = new HashMap<>();
    for (String key : CREDENTIAL_KEYS) {
      hints.put(key, "put it under credentials, e.g. credentials: {" + key + ": …}");
    }
    return hints;
  }

  /** The folders of Application files; call after {@link #repositories}, whose names they use. */
  List<ApplicationFiles> applications(YamlFields root) {
    List<ApplicationFiles> out = new ArrayList<>();
    Map<ApplicationFiles, Integer> lines = new HashMap<>();
    List<String> names = declared.stream().distinct().toList();
    for (YamlFields a : root.mappings("applications")) {
      Optional<String> repository = a.requiredString("repository", "environments");
      String revision = a.string("revision").map(String::strip).orElse("HEAD");
      Optional<String> path = a.requiredString("path", "apps");
      a.finish(APPLICATION_KEYS);
      repository.filter(name -> !names.contains(name)).ifPresent(name -> unknown(a, name, names));
      if (revision.chars().anyMatch(c -> RANGE_MARKS.indexOf(c) >= 0)
          && SemVerRange.tryParse(revision).isEmpty()) {
        problems.add(
            a.valueMark("revision"),
            a.child("revision")
                + " '"
                + revision
                + "' is neither a branch, tag or commit nor a valid semver range (e.g. \">=1.2.0"
                + " <2.0.0\")");
      }
      Optional<String> folder = path.map(String::strip).filter(p -> insideRepository(a, p));
      if (repository.isEmpty() || folder.isEmpty() || !names.contains(repository.get())) {
        continue;
      }
      ApplicationFiles files = new ApplicationFiles(repository.get(), revision, folder.get());
      Integer first = lines.putIfAbsent(files, a.start().getLine() + 1);
      if (first != null) {
        problems.add(
            a.start(),
            "the same folder of Application files as at line "
                + first
                + "; list each once, or every application there would be read twice");
        continue;
      }
      out.add(files);
    }
    return out;
  }

  private void unknown(YamlFields a, String name, List<String> names) {
    StringBuilder message =
        new StringBuilder(a.child("repository") + " '" + name + "' names no repository");
    Suggestion.closest(name, names)
        .ifPresent(s -> message.append("; did you mean '").append(s).append("'?"));
    message.append(
        names.isEmpty()
            ? " (there are none: add it under repositories:)"
            : " (known: " + String.join(", ", names) + ")");
    problems.add(a.valueMark("repository"), message.toString());
  }

  private boolean insideRepository(YamlFields a, String path) {
    if (escapes(path)) {
      problems.add(
          a.valueMark("path"),
          a.child("path")
              + " '"
              + path
              + "' must be a folder inside the repository, relative to its root (e.g. apps)");
      return false;
    }
    return true;
  }

  /** Whether a path in a repository is absolute or climbs out of its root with "..". */
  private static boolean escapes(String path) {
    if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
      return true;
    }
    int depth = 0;
    for (String part : path.split("[/\\\\]")) {
      if (part.equals("..")) {
        depth--;
      } else if (!part.isEmpty() && !part.equals(".")) {
        depth++;
      }
      if (depth < 0) {
        return true;
      }
    }
    return false;
  }
}
