package dev.tagflow.server.webhook;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared secret of webhook deliveries: GitHub signs bodies with it (HMAC-SHA256), GitLab sends
 * it as a token. Both checks compare in constant time; the secret never appears in {@link
 * #toString()} or a log.
 */
public final class WebhookSecret {

  private static final String SIGNATURE_PREFIX = "sha256=";

  private final byte[] secret;

  private WebhookSecret(byte[] secret) {
    this.secret = secret;
  }

  public static WebhookSecret of(String secret) {
    if (secret.isBlank()) {
      throw TagflowException.invalidInput("the webhook secret is empty: set a random string");
    }
    return new WebhookSecret(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads the secret from a file; a trailing newline is not part of it. */
  public static WebhookSecret fromFile(Path file) {
    try {
      String content = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (content.isEmpty()) {
        throw TagflowException.invalidInput(
            "the webhook secret file " + file + " is empty: write the secret on its first line");
      }
      return new WebhookSecret(content.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw TagflowException.invalidInput(
          "cannot read the webhook secret file " + file + ": " + e.getMessage());
    }
  }

  /**
   * Whether {@code header} (GitHub's {@code X-Hub-Signature-256}, {@code sha256=<hex>}) is the
   * HMAC-SHA256 of {@code body} under this secret.
   */
  public boolean signs(byte[] body, String header) {
    Optional<byte[]> given = parseSignature(header);
    if (given.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(hmac(body), given.get());
  }

  /** The {@code X-Hub-Signature-256} value for {@code body}, as a sender computes it. */
  public String signatureOf(byte[] body) {
    return SIGNATURE_PREFIX + HexFormat.of().formatHex(hmac(body));
  }

  /** Whether {@code token} (GitLab's {@code X-Gitlab-Token}) equals this secret. */
  public boolean matchesToken(String token) {
    // Comparing digests keeps the time independent of where, and whether, the lengths differ.
    return MessageDigest.isEqual(sha256(secret), sha256(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** A new HMAC-SHA256 under this secret, to be fed a body as it arrives. */
  Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** The bytes of an {@code X-Hub-Signature-256} value; empty when it is not one. */
  static Optional<byte[]> parseSignature(String header) {
    if (header == null || !header.startsWith(SIGNATURE_PREFIX)) {
      return Optional.empty();
    }
    String hex = header.substring(SIGNATURE_PREFIX.length());
    if (hex.length() != 64) {
      return Optional.empty();
    }
    try {
      return Optional.of(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException notHex) {
      return Optional.empty();
    }
  }

  private byte[] hmac(byte[] body) {
    return newMac().doFinal(body);
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookSecret[***]";
  }
}
