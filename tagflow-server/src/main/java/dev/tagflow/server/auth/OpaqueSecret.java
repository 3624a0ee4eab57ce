package dev.tagflow.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random bearer secrets (API tokens, session ids): 256 bits from {@link SecureRandom}, and their
 * SHA-256 digest, which is all the store keeps. A fast hash is enough here, unlike for passwords:
 * nobody can guess 256 random bits, so a stolen digest gives nothing to try a dictionary on, and a
 * digest can be looked up by index on every request.
 */
public final class OpaqueSecret {

  private static final SecureRandom RANDOM = new SecureRandom();

  private OpaqueSecret() {}

  /** A new secret: {@code prefix} then 43 URL-safe characters (256 bits). */
  public static String generate(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The hex SHA-256 of the text. */
  public static String digest(String text) {
    return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether two digests are equal, compared in constant time. */
  public static boolean sameDigest(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
