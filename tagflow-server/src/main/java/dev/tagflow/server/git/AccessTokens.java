package dev.tagflow.server.git;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The tokens that may read, push to and create hosted repositories, read from a file with one token
 * per line ({@code #} starts a comment). Only their SHA-256 digests are kept in memory, and a
 * candidate is compared with every one in constant time.
 */
public final class AccessTokens {

  private final List<byte[]> digests;

  private AccessTokens(List<byte[]> digests) {
    this.digests = List.copyOf(digests);
  }

  public static AccessTokens none() {
    return new AccessTokens(List.of());
  }

  public static AccessTokens of(String... tokens) {
    return new AccessTokens(List.of(tokens).stream().map(AccessTokens::digest).toList());
  }

  /** Reads the tokens of {@code file}; a missing file means no token, so nobody may push. */
  public static AccessTokens fromFile(Path file) {
    if (!Files.exists(file)) {
      return none();
    }
    try {
      return new AccessTokens(
          Files.readAllLines(file, StandardCharsets.UTF_8).stream()
              .map(String::strip)
              .filter(line -> !line.isEmpty() && !line.startsWith("#"))
              .map(AccessTokens::digest)
              .toList());
    } catch (IOException e) {
      throw TagflowException.invalidInput(
          "cannot read the token file " + file + ": " + e.getMessage());
    }
  }

  /**
   * Writes a new random token to {@code file}, readable by its owner only, and returns the tokens
   * of the file; used on first start so that pushing works without a manual step.
   */
  public static AccessTokens generateInto(Path file) {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String token = "tf_" + HexFormat.of().formatHex(random);
    try {
      Files.createDirectories(Objects.requireNonNull(file.toAbsolutePath().getParent()));
      Files.writeString(
          file,
          "# Tokens that may push to Tagflow's Git server, one per line.\n" + token + "\n",
          StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the file inherits the directory's ACL, which is the user's profile.
      }
    } catch (IOException e) {
      throw TagflowException.failed("cannot write the token file " + file + ": " + e.getMessage());
    }
    return of(token);
  }

  /** These tokens and {@code token}. */
  public AccessTokens plus(String token) {
    List<byte[]> all = new ArrayList<>(digests);
    all.add(digest(token));
    return new AccessTokens(all);
  }

  public boolean isEmpty() {
    return digests.isEmpty();
  }

  /** Whether {@code candidate} is one of the tokens; every token is compared, in constant time. */
  public boolean accepts(String candidate) {
    if (candidate == null || candidate.isEmpty()) {
      return false;
    }
    byte[] given = digest(candidate);
    boolean found = false;
    for (byte[] digest : digests) {
      found |= MessageDigest.isEqual(digest, given);
    }
    return found;
  }

  /**
   * Whether an {@code Authorization} header carries one of the tokens: {@code Bearer <token>}, or
   * HTTP basic with the token as password (what {@code git} sends), any user name.
   */
  public boolean acceptsAuthorization(String header) {
    if (header == null) {
      return false;
    }
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return accepts(header.substring(7).strip());
    }
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair =
            new String(
                Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon >= 0 && accepts(pair.substring(colon + 1));
      } catch (IllegalArgumentException notBase64) {
        return false;
      }
    }
    return false;
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "AccessTokens[" + digests.size() + " tokens]";
  }
}
