package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCredentials;
import dev.tagflow.source.RepoEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow repo add <url>}: remembers a repository, after checking it can be reached. */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = {
      "Add a repository: HTTPS (with a token or a user and password), SSH (with a key and a"
          + " known_hosts file), file:// or a local path.",
      "Secrets stay in their files; only the files' paths are kept.",
      "With --server or --context, a running server follows an HTTPS repository from now on,"
          + " logging in with a secret it stores (--password-secret project/shop/GIT_TOKEN,"
          + " set before with the secrets API or tagflow secret set); see docs/api.md."
    })
final class RepoAddCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin OutputFormat output;
  @Mixin ServerOptions server;

  @Option(
      names = "--password-secret",
      paramLabel = "<kind/scope/NAME>",
      description =
          "With --server: the server's secret holding the token (or the password, with"
              + " --username), e.g. project/shop/GIT_TOKEN.")
  String passwordSecret;

  @Parameters(paramLabel = "<url>", description = "The repository's URL or local path.")
  String url;

  @Option(
      names = "--name",
      paramLabel = "<name>",
      description = "Short name (default: from the URL).")
  String name;

  @Option(names = "--token-file", paramLabel = "<file>", description = "File with an HTTPS token.")
  Path tokenFile;

  @Option(names = "--username", paramLabel = "<user>", description = "HTTPS user name.")
  String username;

  @Option(names = "--password-file", paramLabel = "<file>", description = "File with the password.")
  Path passwordFile;

  @Option(names = "--ssh-key", paramLabel = "<file>", description = "SSH private key file.")
  Path sshKey;

  @Option(
      names = "--known-hosts",
      paramLabel = "<file>",
      description = "known_hosts file with the server's key (unknown hosts are refused).")
  Path knownHosts;

  @Option(
      names = "--no-check",
      description = "Add without checking that the repository can be reached.")
  boolean noCheck;

  @Override
  public Integer call() {
    if (server.named()) {
      return addToServer();
    }
    if (passwordSecret != null) {
      throw TagflowException.invalidInput(
          "--password-secret names a secret of a server: give --server <url> (or --context) too;"
              + " on this host, use --token-file or --password-file");
    }
    refuseCredentials(url);
    String location = normalized(url);
    RepoEntry entry =
        new RepoEntry(
            name != null ? name : RepoEntry.defaultName(location), location, credentials());
    try (RepoContext repos = new RepoContext(dataDir.resolve())) {
      repos.registry().checkCanAdd(entry);
      int refs = -1;
      if (!noCheck) {
        try (RemoteAccess check =
            new RemoteAccess(
                u -> entry.credentials(), Duration.ofSeconds(60), new SimpleMeterRegistry())) {
          refs = check.advertisedRefs(entry.url()).size();
        }
      }
      repos.registry().add(entry);
      PrintWriter out = spec.commandLine().getOut();
      if (output.json()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", entry.name());
        json.put("url", UrlRedaction.redact(entry.url()));
        json.put("auth", RepoListCommand.authOf(entry.credentials()));
        if (refs >= 0) {
          json.put("refs", refs);
        }
        output.printJson(out, json);
      } else {
        out.println(
            "Added "
                + entry.name()
                + " ("
                + UrlRedaction.redact(entry.url())
                + (refs >= 0 ? ", " + refs + " branches and tags" : ", not checked")
                + ")");
      }
      return ExitCode.OK;
    }
  }

  /** {@code POST /api/v1/repositories}: only the URL, user and the secret's name leave here. */
  private Integer addToServer() {
    if (tokenFile != null || passwordFile != null || sshKey != null || knownHosts != null) {
      throw TagflowException.invalidInput(
          "a server keeps no credential files: store the token as a secret of the server and give"
              + " --password-secret <kind/scope/NAME>");
    }
    if (name != null || noCheck) {
      throw TagflowException.invalidInput(
          "--name and --no-check are for this host's list: the server names a repository by its"
              + " URL (owner/name) and reaches it at once");
    }
    refuseCredentials(url);
    PrintWriter out = spec.commandLine().getOut();
    try (var api = server.connect(spec.commandLine().getErr())) {
      Map<String, Object> added =
          RepoServerVerbs.add(
              api,
              url,
              java.util.Optional.ofNullable(username),
              java.util.Optional.ofNullable(passwordSecret));
      if (output.json()) {
        output.printJson(out, added);
      } else {
        out.println(RepoServerVerbs.added(added));
      }
    }
    return ExitCode.OK;
  }

  /**
   * Refuses a URL with credentials in it: repositories.yaml, logs, metrics and {@code repo list}
   * show the URL, so a secret must come from a file. The message names neither user nor password: a
   * "user" is often a token.
   */
  private static void refuseCredentials(String url) {
    if (UrlRedaction.hasCredentials(url)) {
      throw TagflowException.invalidInput(
          "the repository URL holds credentials (before its '@'), and Tagflow keeps secrets only in"
              + " files: run 'tagflow repo add "
              + UrlRedaction.redact(url)
              + "' with --token-file <file> holding a token, or with --username <user> and"
              + " --password-file <file> holding the password");
    }
  }

  /** A local path becomes absolute, so the entry works from any directory. */
  private static String normalized(String url) {
    if (RemoteAccess.isLocal(url) && !url.startsWith("file:")) {
      return Path.of(url).toAbsolutePath().normalize().toString();
    }
    return url;
  }

  private RepoCredentials credentials() {
    int kinds =
        (tokenFile != null ? 1 : 0)
            + (username != null || passwordFile != null ? 1 : 0)
            + (sshKey != null || knownHosts != null ? 1 : 0);
    if (kinds > 1) {
      throw TagflowException.invalidInput(
          "give one way to log in: --token-file, or --username with --password-file, or --ssh-key"
              + " with --known-hosts");
    }
    if (tokenFile != null) {
      return new RepoCredentials.Token(readable(tokenFile, "--token-file"));
    }
    if (username != null || passwordFile != null) {
      if (username == null || passwordFile == null) {
        throw TagflowException.invalidInput("--username and --password-file go together");
      }
      return new RepoCredentials.Basic(username, readable(passwordFile, "--password-file"));
    }
    if (sshKey != null || knownHosts != null) {
      if (sshKey == null || knownHosts == null) {
        throw TagflowException.invalidInput(
            "--ssh-key and --known-hosts go together: Tagflow does not trust unknown hosts");
      }
      return new RepoCredentials.SshKey(
          readable(sshKey, "--ssh-key"), readable(knownHosts, "--known-hosts"));
    }
    return RepoCredentials.none();
  }

  private static Path readable(Path file, String option) {
    if (!Files.isReadable(file)) {
      throw TagflowException.invalidInput(option + " " + file + ": no such readable file");
    }
    return file.toAbsolutePath().normalize();
  }
}
