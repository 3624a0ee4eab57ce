package dev.tagflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The redaction of credentials, as properties over any text. A crash is an exception, a text that
 * changes when redacted again, or a URL written with credentials whose password (or, but for SSH's
 * plain user names, whose user) is still there after redaction, whatever text is around it; but for
 * the malformed URLs {@link UrlRedaction} documents as beyond telling from a valid one.
 */
class UrlRedactionFuzzTest {

  private static final List<String> SCHEMES =
      List.of(
          "https", "http", "HTTPS", "git", "git+https", "ssh", "SSH", "git+ssh", "ssh+git", "file");

  /** What ends a URL written in a message, so cannot be inside the credentials of one. */
  private static final String ENDS_URL = "\"'<>`";

  @DictionaryEntries({"://", "https://", "ssh://", "@", ":", "/", "?", "#", "[::1]", ":8443", " "})
  @FuzzTest
  void redactingTwiceChangesNothing(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    String redacted = UrlRedaction.redact(text);
    assertThat(UrlRedaction.redact(redacted)).isEqualTo(redacted);
    assertThat(UrlRedaction.hasCredentials(redacted)).isFalse();
  }

  @FuzzTest
  void noCredentialOfAUrlSurvivesWhateverSurroundsIt(FuzzedDataProvider data) {
    String before = data.consumeString(40);
    String scheme = data.pickValue(SCHEMES);
    // Not the forms UrlRedaction documents as beyond telling from a valid URL: a token that holds
    // '/', '?' or '#'; a password that holds one of those and an '@', or a number before one.
    String user = urlPart(data.consumeString(20), "/?#");
    String password = urlPart(data.consumeString(20), "");
    if (password.matches("(?s).*[/?#].*") && password.matches("(?s)(.*@.*|[0-9]+[/?#].*)")) {
      return;
    }
    String host = urlPart(data.consumeString(20), "/?#@");
    String path = urlPart(data.consumeString(30), "");
    String after = data.consumeRemainingAsString();
    String credentials = password.isEmpty() ? user : user + ":" + password;
    if (credentials.isEmpty()) {
      return;
    }
    // The URL starts a word, as in a message; what follows may stick to it (a comma, a quote).
    String text = before + " " + scheme + "://" + credentials + "@" + host + path + after;

    String redacted = UrlRedaction.redact(text);

    // SSH's plain user names stay; so does the plain name before an '@' in one, which is all of
    // the user that can be told ("ssh://name@rest@host").
    boolean ssh = scheme.toLowerCase(Locale.ROOT).contains("ssh");
    boolean sshUser = ssh && (user.matches("[A-Za-z0-9._-]+") || user.contains("@"));
    // A secret may also be written elsewhere in the text, or be made by what is left joining up
    // ("ssh://" and a host "tp…" hold "/tp"): it may be there as often as in the URL without it.
    String withoutCredentials = before + " " + scheme + "://" + host + path + after;
    String withUser = before + " " + scheme + "://" + user + "@" + host + path + after;
    // A password holding '/', '?' or '#' takes the URL up to its last '@' with it, as
    // UrlRedaction documents: what is left may join "://" as well ("https://:pw:://\0@h@\0"
    // leaves "https://\0", which holds the password "://\0" without a character of it kept).
    String tooShort = before + " " + scheme + "://" + afterLastAt(host + path + after);
    if (password.length() >= 4 && !user.contains(password)) {
      // Each as written and as redacted: the text around the URL may hold URLs of its own
      // ("s://@\0" loses its '@' and becomes "s://\0").
      int allowed = seen(withoutCredentials, password);
      if (ssh) {
        allowed = Math.max(allowed, seen(withUser, password));
      }
      if (password.matches("(?s).*[/?#].*")) {
        allowed = Math.max(allowed, seen(tooShort, password));
      }
      assertThat(count(redacted, password))
          .as("password %s of %s, redacted %s", escaped(password), escaped(text), escaped(redacted))
          .isLessThanOrEqualTo(allowed);
    }
    if (!sshUser && user.length() >= 4 && !password.contains(user)) {
      assertThat(count(redacted, user))
          .as("user %s of %s, redacted %s", user, text, redacted)
          .isLessThanOrEqualTo(seen(withoutCredentials, user));
    }
  }

  /** What is left of a URL's host, path and what follows once it lost all up to its last '@'. */
  private static String afterLastAt(String rest) {
    int end = 0;
    while (end < rest.length()
        && !Character.isWhitespace(rest.charAt(end))
        && ENDS_URL.indexOf(rest.charAt(end)) < 0) {
      end++;
    }
    return rest.substring(rest.lastIndexOf('@', end - 1) + 1);
  }

  /** The text with control and non-ASCII characters as \\uXXXX, for a failure a person can read. */
  private static String escaped(String text) {
    StringBuilder out = new StringBuilder("\"");
    text.chars()
        .forEach(
            c -> {
              if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.append((char) c);
              }
            });
    return out.append('"').toString();
  }

  /** How often a text holds a part, as written or once redacted, whichever is more. */
  private static int seen(String text, String part) {
    return Math.max(count(text, part), count(UrlRedaction.redact(text), part));
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      count++;
    }
    return count;
  }

  /** The text without what no URL can hold (white space, quotes) and without {@code extra}. */
  private static String urlPart(String text, String extra) {
    StringBuilder part = new StringBuilder();
    text.codePoints()
        .filter(c -> !Character.isWhitespace(c) && (ENDS_URL + extra).indexOf(c) < 0)
        .forEach(part::appendCodePoint);
    return part.toString();
  }
}
