package dev.tagflow.server.git;

import dev.tagflow.TagflowException;
import dev.tagflow.source.RepoCredentials;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Function;

/**
 * The credentials of every repository URL the server's own components use (ref tracking, polling):
 * for its own Git server a token of their own, made at random at every start, and for any other URL
 * what {@code tagflow repo add} recorded. The token is kept in a file only its owner can read,
 * because JGit's credentials name a file; it is never printed.
 */
public final class OwnGitCredentials implements Function<String, RepoCredentials> {

  /** The token's file in the data directory, replaced at every start. */
  public static final String FILE = "git-internal-token";

  private final String token;
  private final Path file;
  private final Function<String, RepoCredentials> others;
  private volatile String gitBase;

  private OwnGitCredentials(String token, Path file, Function<String, RepoCredentials> others) {
    this.token = token;
    this.file = file;
    this.others = others;
  }

  /**
   * Makes a new token and writes it to {@code <dataDir>/git-internal-token}, readable by its owner
   * only (the file is created with that mode, so no other user can open it in between).
   *
   * @param others the credentials of repositories that are not the server's own
   */
  public static OwnGitCredentials create(Path dataDir, Function<String, RepoCredentials> others) {
    Objects.requireNonNull(others, "others");
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String token = "tfi_" + HexFormat.of().formatHex(random);
    Path file = dataDir.resolve(FILE).toAbsolutePath();
    try {
      Files.createDirectories(dataDir);
      Path temporary;
      try {
        temporary =
            Files.createTempFile(
                dataDir,
                ".git-internal-token",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        temporary = Files.createTempFile(dataDir, ".git-internal-token", ".tmp");
      }
      Files.writeString(temporary, token + "\n", StandardCharsets.UTF_8);
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw TagflowException.failed("cannot write " + file + ": " + e.getMessage(), e);
    }
    return new OwnGitCredentials(token, file, others);
  }

  /** {@code people}'s tokens and this one: what the Git server accepts. */
  public AccessTokens grantedWith(AccessTokens people) {
    return people.plus(token);
  }

  /** Tells where the server's repositories are, once it listens: {@code <url>/git/}. */
  public void servingAt(URI serverUrl) {
    String base = serverUrl.toString();
    this.gitBase = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/git/";
  }

  @Override
  public RepoCredentials apply(String url) {
    String base = gitBase;
    if (base != null && url.startsWith(base)) {
      return new RepoCredentials.Token(file);
    }
    return others.apply(url);
  }

  @Override
  public String toString() {
    return "OwnGitCredentials[" + file + "]";
  }
}
