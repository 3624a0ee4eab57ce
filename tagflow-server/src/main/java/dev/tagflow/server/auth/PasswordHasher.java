package dev.tagflow.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes with Argon2id (Bouncy Castle, pinned in the root pom) in the PHC string format
 * {@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}. Defaults are OWASP's minimum: 19 MiB, 2 passes, 1
 * lane. Parameters are read back from each hash, so raising them later keeps old hashes valid.
 */
public final class PasswordHasher {

  /** OWASP's Password Storage Cheat Sheet minimum for Argon2id. */
  public static final Parameters OWASP = new Parameters(19 * 1024, 2, 1);

  /** The longest password accepted: a 1 MB password must not cost more than a short one. */
  public static final int MAX_PASSWORD_CHARS = 1024;

  /** Hashes at once: each takes {@code m} KiB of memory, so a login flood cannot exhaust it. */
  private static final int CONCURRENT_HASHES = 4;

  /**
   * Argon2id cost parameters.
   *
   * @param memoryKib memory in KiB
   * @param iterations passes over the memory
   * @param parallelism lanes
   */
  public record Parameters(int memoryKib, int iterations, int parallelism) {
    public Parameters {
      // Bounds also for hashes read from the store: a tampered row must not make us allocate GBs.
      if (memoryKib < 8 || memoryKib > 1024 * 1024 || iterations < 1 || iterations > 20) {
        throw new IllegalArgumentException("Argon2id parameters out of range");
      }
      if (parallelism < 1 || parallelism > 8) {
        throw new IllegalArgumentException("Argon2id parallelism out of range");
      }
    }
  }

  private final Parameters parameters;
  private final SecureRandom random = new SecureRandom();
  private final Semaphore permits = new Semaphore(CONCURRENT_HASHES);
  // A hash of a password nobody has, checked when a user does not exist, so that an unknown user
  // takes as long as a wrong password.
  private final String decoy;

  public PasswordHasher(Parameters parameters) {
    this.parameters = parameters;
    this.decoy = hash("decoy-" + random.nextLong());
  }

  public static PasswordHasher owasp() {
    return new PasswordHasher(OWASP);
  }

  public Parameters parameters() {
    return parameters;
  }

  /** The PHC string of a new hash of {@code password} with a fresh 16-byte salt. */
  public String hash(String password) {
    requireLength(password);
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, parameters, 32);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$argon2id$v=19$m="
        + parameters.memoryKib()
        + ",t="
        + parameters.iterations()
        + ",p="
        + parameters.parallelism()
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  /** Whether {@code password} matches {@code phc}; false for a hash that cannot be read. */
  public boolean matches(String password, String phc) {
    if (password.length() > MAX_PASSWORD_CHARS) {
      return false;
    }
    Optional<Parsed> parsed = parse(phc);
    if (parsed.isEmpty()) {
      return false;
    }
    byte[] actual =
        derive(
            password, parsed.get().salt(), parsed.get().parameters(), parsed.get().hash().length);
    return MessageDigest.isEqual(actual, parsed.get().hash());
  }

  /** Spends the time of one check against nothing, for a user that does not exist. */
  public void matchNothing(String password) {
    matches(password.length() > MAX_PASSWORD_CHARS ? "" : password, decoy);
  }

  /** Whether a hash was made with weaker parameters than this hasher's. */
  public boolean weakerThanCurrent(String phc) {
    return parse(phc)
        .map(
            p ->
                p.parameters().memoryKib() < parameters.memoryKib()
                    || p.parameters().iterations() < parameters.iterations())
        .orElse(true);
  }

  static void requireLength(String password) {
    if (password.isEmpty()) {
      throw new IllegalArgumentException("the password is empty");
    }
    if (password.length() > MAX_PASSWORD_CHARS) {
      throw new IllegalArgumentException(
          "the password is longer than " + MAX_PASSWORD_CHARS + " characters");
    }
  }

  private record Parsed(Parameters parameters, byte[] salt, byte[] hash) {}

  private static Optional<Parsed> parse(String phc) {
    String[] parts = phc.split("\\$", -1);
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
      return Optional.empty();
    }
    try {
      int m = -1;
      int t = -1;
      int p = -1;
      for (String pair : parts[3].split(",")) {
        String[] kv = pair.split("=", 2);
        int value = Integer.parseInt(kv[1]);
        switch (kv[0]) {
          case "m" -> m = value;
          case "t" -> t = value;
          case "p" -> p = value;
          default -> {
            return Optional.empty();
          }
        }
      }
      Base64.Decoder b64 = Base64.getDecoder();
      byte[] salt = b64.decode(parts[4]);
      byte[] hash = b64.decode(parts[5]);
      if (salt.length < 8 || hash.length < 16 || hash.length > 64) {
        return Optional.empty();
      }
      return Optional.of(new Parsed(new Parameters(m, t, p), salt, hash));
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  private byte[] derive(String password, byte[] salt, Parameters with, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withSalt(salt)
            .withMemoryAsKB(with.memoryKib())
            .withIterations(with.iterations())
            .withParallelism(with.parallelism())
            .build());
    byte[] out = new byte[length];
    byte[] secret = password.getBytes(StandardCharsets.UTF_8);
    permits.acquireUninterruptibly();
    try {
      generator.generateBytes(secret, out);
    } finally {
      permits.release();
      Arrays.fill(secret, (byte) 0);
    }
    return out;
  }
}
