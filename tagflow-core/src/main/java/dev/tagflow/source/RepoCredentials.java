package dev.tagflow.source;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How to authenticate to a repository. Only file paths are held, never secret values: a secret is
 * read from its file at the moment a transport needs it, so it cannot end up in a log, a status or
 * the repository list.
 */
public sealed interface RepoCredentials {

  /** Anonymous access: public HTTPS, {@code file://} URLs and plain paths. */
  record None() implements RepoCredentials {}

  /**
   * An HTTPS access token (GitHub, GitLab, Gitea), sent as the password of the user {@code
   * x-access-token}, which all of them accept for personal access tokens.
   */
  record Token(Path tokenFile) implements RepoCredentials {
    public Token {
      Objects.requireNonNull(tokenFile, "tokenFile");
    }
  }

  /** HTTPS basic authentication with a user name and a password kept in a file. */
  record Basic(String username, Path passwordFile) implements RepoCredentials {
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(passwordFile, "passwordFile");
    }
  }

  /**
   * An SSH private key, and the known-hosts file the server's key must be in: unknown hosts are
   * refused rather than trusted on first use, since nobody is there to confirm a fingerprint.
   */
  record SshKey(Path privateKey, Path knownHosts) implements RepoCredentials {
    public SshKey {
      Objects.requireNonNull(privateKey, "privateKey");
      Objects.requireNonNull(knownHosts, "knownHosts");
    }
  }

  /**
   * HTTPS with a password or token kept sealed in Tagflow's store (a secret named when the
   * repository was added over the API), opened only when a transport needs it: a secret changed
   * later is used from the next fetch on.
   *
   * @param username the HTTPS user; empty means a token (sent as {@link Token} sends it)
   * @param secret the secret's reference ({@code kind/scope/NAME}), for messages and listings
   * @param value opens the secret; fails with a message that names the secret, never its value
   */
  record Secret(Optional<String> username, String secret, Supplier<String> value)
      implements RepoCredentials {
    public Secret {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(secret, "secret");
      Objects.requireNonNull(value, "value");
    }
  }

  static RepoCredentials none() {
    return new None();
  }

  /** Reads a one-line secret from a file, without its trailing newline. */
  static String readSecret(Path file, String what) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw TagflowException.invalidInput(
          "cannot read the " + what + " file " + file + ": " + e.getMessage());
    }
  }
}
