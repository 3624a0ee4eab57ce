package dev.tagflow.server.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a delivery: HMAC-SHA256, keyed with the webhook's secret, of {@code
 * <timestamp>.<body>}, written {@code sha256=<hex>} as GitHub writes {@code X-Hub-Signature-256}.
 * The timestamp (Unix seconds, in {@value #TIMESTAMP}) is signed with the body so a receiver can
 * refuse an old delivery replayed.
 */
final class Signer {

  static final String SIGNATURE = "X-Tagflow-Signature-256";
  static final String TIMESTAMP = "X-Tagflow-Timestamp";

  private final byte[] key;

  Signer(byte[] key) {
    if (key.length == 0) {
      throw new IllegalArgumentException("an empty key signs nothing");
    }
    this.key = key.clone();
  }

  String sign(long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      // Every JDK has HmacSHA256.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "Signer[key hidden]";
  }
}
