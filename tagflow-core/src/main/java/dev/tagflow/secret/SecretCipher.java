package dev.tagflow.secret;

import dev.tagflow.TagflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens secret values with AES-256-GCM.
 *
 * <p>A sealed value is {@code version (1) · key id (8) · nonce (12) · ciphertext and tag}. The
 * nonce is random for every value. The scope and name are the associated data, so a sealed value
 * copied to another name or scope fails to open. The key id (the first 8 bytes of the key's
 * SHA-256, which tells nothing of the key) lets a value sealed with another key file be told apart
 * from one that was changed.
 */
public final class SecretCipher {

  private static final byte VERSION = 1;
  private static final int KEY_ID_BYTES = 8;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int HEADER = 1 + KEY_ID_BYTES + NONCE_BYTES;

  private final SecretKey key;
  private final byte[] keyId;
  private final SecureRandom random = new SecureRandom();

  SecretCipher(SecretKey key) {
    this.key = key;
    this.keyId = keyIdOf(key);
  }

  /** Seals {@code value} for the secret {@code name} of {@code scope}. */
  public byte[] seal(SecretScope scope, String name, byte[] value) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(scope, name));
      byte[] sealed = cipher.doFinal(value);
      return ByteBuffer.allocate(HEADER + sealed.length)
          .put(VERSION)
          .put(keyId)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw TagflowException.failed("could not seal the secret " + name + " of " + scope, e);
    }
  }

  /**
   * Opens a sealed value.
   *
   * @throws TagflowException when it was sealed with another key, or was changed or moved
   */
  public byte[] open(SecretScope scope, String name, byte[] sealed) {
    if (sealed.length < HEADER + TAG_BITS / 8 || sealed[0] != VERSION) {
      throw damaged(scope, name);
    }
    if (!MessageDigest.isEqual(Arrays.copyOfRange(sealed, 1, 1 + KEY_ID_BYTES), keyId)) {
      throw TagflowException.failed(
          "the secret "
              + name
              + " of "
              + scope
              + " was sealed with another key than the data directory's "
              + SecretKeyFile.FILE_NAME
              + "; put back the key file it was sealed with, or set the secret again");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_BITS, sealed, 1 + KEY_ID_BYTES, NONCE_BYTES));
      cipher.updateAAD(associatedData(scope, name));
      return cipher.doFinal(sealed, HEADER, sealed.length - HEADER);
    } catch (AEADBadTagException e) {
      throw damaged(scope, name);
    } catch (GeneralSecurityException e) {
      throw TagflowException.failed("could not open the secret " + name + " of " + scope, e);
    }
  }

  private static TagflowException damaged(SecretScope scope, String name) {
    return TagflowException.failed(
        "the secret "
            + name
            + " of "
            + scope
            + " does not open: its stored value was changed, or copied from another secret or"
            + " scope. Set it again with 'tagflow secret set "
            + name
            + " "
            + (scope instanceof SecretScope.Project ? "--project " : "--repo ")
            + scope.name()
            + "'");
  }

  private static byte[] associatedData(SecretScope scope, String name) {
    return ("tagflow-secret\0" + scope.key() + "\0" + name).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] keyIdOf(SecretKey key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("tagflow-secret-key-id\0".getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(sha.digest(key.getEncoded()), KEY_ID_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
