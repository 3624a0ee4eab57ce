package dev.tagflow.source;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

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
