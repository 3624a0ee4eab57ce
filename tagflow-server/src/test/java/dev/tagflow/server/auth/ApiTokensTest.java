package dev.tagflow.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token is its exact text: every other text is unknown, however close. Checked for every
 * one-character change of a real token in a real store, so that no position or replacement can be
 * accepted by chance (the flaky HTTP test flipped three positions of a random token).
 */
class ApiTokensTest {

  /** The characters a token's random part is written in (base64url), and its prefix's. */
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  @TempDir Path data;
  JdbcStore store;
  ApiTokens tokens;

  @BeforeEach
  void open() {
    store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)));
    tokens = new ApiTokens(store.access(), Clock.systemUTC());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void everyOneCharacterChangeOfATokenIsUnknown() {
    String token = tokens.create("ci", "alice", Optional.empty()).text();
    assertThat(tokens.authenticate(token)).isPresent();

    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < token.length(); i++) {
      for (char c : ALPHABET.toCharArray()) {
        if (c == token.charAt(i)) {
          continue;
        }
        char[] changed = token.toCharArray();
        changed[i] = c;
        if (tokens.authenticate(new String(changed)).isPresent()) {
          // The position and the characters, never the token: it is a credential.
          accepted.add(i + ": " + token.charAt(i) + " -> " + c);
        }
      }
    }
    assertThat(accepted).as("one-character changes that were accepted").isEmpty();
  }

  @Test
  void aLastCharacterThatDecodesToTheSameBytesIsStillAnotherToken() {
    String token = tokens.create("ci", "alice", Optional.empty()).text();
    String random = token.substring(ApiTokens.PREFIX.length());
    int last = ALPHABET.indexOf(random.charAt(random.length() - 1));

    // 32 bytes are 43 base64 characters: the last one carries 4 bits and 2 unused ones, so four
    // texts decode to the same bytes. The digest is of the text, so only the one made is known.
    int found = 0;
    for (int unused = 0; unused < 4; unused++) {
      char c = ALPHABET.charAt((last & ~3) | unused);
      String text = token.substring(0, token.length() - 1) + c;
      assertThat(Base64.getUrlDecoder().decode(text.substring(ApiTokens.PREFIX.length())))
          .isEqualTo(Base64.getUrlDecoder().decode(random));
      if (tokens.authenticate(text).isPresent()) {
        found++;
        assertThat(text).isEqualTo(token);
      }
    }
    assertThat(found).isEqualTo(1);
  }

  @Test
  void aTokenIsComparedAsWrittenNeitherCaseFoldedNorPaddedNorCut() {
    String token = tokens.create("ci", "alice", Optional.empty()).text();

    assertThat(tokens.authenticate(token.toUpperCase())).isEmpty();
    assertThat(tokens.authenticate(token.toLowerCase())).isEmpty();
    assertThat(tokens.authenticate(token + "=")).isEmpty();
    assertThat(tokens.authenticate(token + "A")).isEmpty();
    assertThat(tokens.authenticate(token.substring(0, token.length() - 1))).isEmpty();
    assertThat(tokens.authenticate(" " + token)).isEmpty();
  }

  @Test
  void aLifetimeIsANumberWithItsUnitOrNeverAndAnythingElseIsNamedAsWrong() {
    assertThat(ApiTokens.lifetime("--expires", "30d")).contains(java.time.Duration.ofDays(30));
    assertThat(ApiTokens.lifetime("--expires", "12h")).contains(java.time.Duration.ofHours(12));
    assertThat(ApiTokens.lifetime("--expires", "never")).isEmpty();
    for (String wrong :
        List.of(
            "",
            "d",
            "30",
            "30x",
            "-1d",
            "0m",
            "3651d",
            "99999999999999999999d",
            "9223372036854775807d")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> ApiTokens.lifetime("--expires", wrong))
          .as(wrong)
          .isInstanceOf(dev.tagflow.TagflowException.class)
          .hasMessageContaining("--expires must be a positive number");
    }
  }
}
