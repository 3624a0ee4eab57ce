package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.server.git.AccessTokens;
import dev.tagflow.server.webhook.WebhookSecret;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Who may reach {@code tagflow server}'s webhooks and Git server: their secret and tokens. */
final class ServerAccessOptions {

  /** The file of push tokens in the data directory, used unless --git-token-file is given. */
  static final String TOKEN_FILE = "git-tokens";

  @Option(
      names = "--webhook-secret-file",
      paramLabel = "<file>",
      description = "File holding the secret of GitHub/GitLab webhooks; without it they get 403.")
  Path webhookSecretFile;

  @Option(
      names = "--git-token-file",
      paramLabel = "<file>",
      description =
          "File of tokens that may clone, fetch and push, one per line (default: <data-dir>/"
              + TOKEN_FILE
              + ", created with a random token on first start).")
  Path gitTokenFile;

  /** The flag's webhook secret, else the file's; none refuses webhooks. */
  Optional<WebhookSecret> webhookSecret(Optional<ServerSettings> file) {
    return Optional.ofNullable(webhookSecretFile)
        .or(() -> file.flatMap(ServerSettings::webhookSecretFile))
        .map(WebhookSecret::fromFile);
  }

  /**
   * The flag's token file, else the file's, else the data directory's, made with a random token on
   * first start (said on {@code out}, the token itself never printed).
   */
  AccessTokens tokens(Path data, Optional<ServerSettings> file, PrintWriter out) {
    Optional<Path> given =
        Optional.ofNullable(gitTokenFile).or(() -> file.flatMap(ServerSettings::gitTokenFile));
    if (given.isPresent()) {
      if (!Files.isRegularFile(given.get())) {
        throw TagflowException.invalidInput(
            "--git-token-file " + given.get() + " does not exist: write one token per line");
      }
      return AccessTokens.fromFile(given.get());
    }
    Path tokens = data.resolve(TOKEN_FILE);
    if (Files.exists(tokens)) {
      return AccessTokens.fromFile(tokens);
    }
    // The token itself is never printed: whoever may push can read the file.
    AccessTokens generated = AccessTokens.generateInto(tokens);
    out.println("A push token was written to " + tokens + " (readable by you only).");
    return generated;
  }
}
