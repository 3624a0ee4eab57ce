package dev.tagflow.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** SHA-256 of named contents, for cache keys: the same inputs give the same digest. */
final class Digest {

  private Digest() {}

  static String of(Map<String, byte[]> named) {
    MessageDigest digest = sha256();
    named.forEach(
        (name, content) -> {
          digest.update(name.getBytes(StandardCharsets.UTF_8));
          digest.update((byte) 0);
          digest.update(Integer.toString(content.length).getBytes(StandardCharsets.UTF_8));
          digest.update((byte) 0);
          digest.update(content);
        });
    return HexFormat.of().formatHex(digest.digest());
  }

  static String of(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
