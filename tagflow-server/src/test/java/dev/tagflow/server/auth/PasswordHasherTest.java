package dev.tagflow.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Argon2id hashes: OWASP's parameters by default, PHC format, and what a bad hash does. */
class PasswordHasherTest {

  @Test
  void theDefaultIsOwaspsArgon2idAndAHashVerifiesOnlyItsPassword() {
    PasswordHasher hasher = PasswordHasher.owasp();
    assertThat(hasher.parameters()).isEqualTo(new PasswordHasher.Parameters(19 * 1024, 2, 1));
    String hash = hasher.hash("correct horse battery staple");
    assertThat(hash)
        .matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(hasher.matches("correct horse battery staple", hash)).isTrue();
    assertThat(hasher.matches("correct horse battery stapl", hash)).isFalse();
    assertThat(hasher.matches("Correct horse battery staple", hash)).isFalse();
    // A fresh salt each time.
    assertThat(hasher.hash("correct horse battery staple")).isNotEqualTo(hash);
  }

  @Test
  void aHashOfOtherParametersStillVerifiesAndIsReportedWeaker() {
    PasswordHasher small = new PasswordHasher(new PasswordHasher.Parameters(64, 1, 1));
    String old = small.hash("a password of old");
    PasswordHasher current = PasswordHasher.owasp();
    assertThat(current.matches("a password of old", old)).isTrue();
    assertThat(current.weakerThanCurrent(old)).isTrue();
  }

  @Test
  void aTamperedOrForeignHashNeverMatches() {
    PasswordHasher hasher = new PasswordHasher(new PasswordHasher.Parameters(64, 1, 1));
    String hash = hasher.hash("secret password");
    for (String bad :
        new String[] {
          "",
          "plain",
          hash.replace("argon2id", "argon2i"),
          hash.replace("v=19", "v=16"),
          // A row set to ask for 4 TB of memory is refused, not obeyed.
          hash.replace("m=64", "m=4294967"),
          hash.replace("t=1", "t=100000"),
          hash.substring(0, hash.lastIndexOf('$')) + "$AAAA",
          hash + "$extra",
          "$argon2id$v=19$m=64,t=1,p=1$!!!$!!!"
        }) {
      assertThat(hasher.matches("secret password", bad)).as(bad).isFalse();
    }
  }

  @Test
  void aHugePasswordIsRefusedBeforeHashing() {
    PasswordHasher hasher = new PasswordHasher(new PasswordHasher.Parameters(64, 1, 1));
    String hash = hasher.hash("secret password");
    assertThat(hasher.matches("x".repeat(1_000_000), hash)).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> hasher.hash("x".repeat(2000)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
