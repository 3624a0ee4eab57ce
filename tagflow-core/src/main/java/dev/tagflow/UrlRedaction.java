package dev.tagflow;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from the URLs in a text: the one redaction applied wherever a URL leaves
 * Tagflow (log lines, error messages, HTTP answers, meter tags, command output, stored files).
 *
 * <p>People paste URLs such as {@code https://user:token@host/repo.git}; the secret in them must
 * never be shown or kept. For every {@code scheme://userinfo@host} in a text:
 *
 * <ul>
 *   <li>any scheme but SSH: the whole user info goes ({@code https://user:pw@host}, {@code
 *       https://:pw@host}, {@code https://TOKEN@host} and {@code git://x@host} all become {@code
 *       scheme://host}), since Git hosts take a token as the user name and nothing tells a user
 *       name from a token;
 *   <li>{@code ssh://}, {@code git+ssh://}, {@code ssh+git://}: a plain user name stays ({@code
 *       ssh://git@host}), since it names the account to log in as and is no secret; a password
 *       goes, and so does a user that is not a plain name.
 * </ul>
 *
 * <p>The scp-like form {@code git@host:owner/repo.git} is left as it is: it can only name a user,
 * never a password. A URL whose password holds a {@code /}, {@code ?} or {@code #} (not valid, but
 * pasted all the same: {@code https://user:pa/ss@host}) loses everything up to its last {@code @},
 * so a malformed URL is shown too short rather than with its secret. The result is also the form
 * Tagflow keeps and fetches from: a stored URL never holds credentials.
 */
public final class UrlRedaction {

  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://");
  private static final Set<String> SSH = Set.of("ssh", "git+ssh", "ssh+git");
  private static final Pattern PLAIN_USER = Pattern.compile("[A-Za-z0-9._-]+");

  private UrlRedaction() {}

  /**
   * The text with the credentials of every URL in it removed; text without any is returned as it
   * is, and {@code null} stays {@code null}.
   */
  public static String redact(String text) {
    if (text == null || !text.contains("://")) {
      return text;
    }
    StringBuilder result = new StringBuilder(text.length());
    Matcher scheme = SCHEME.matcher(text);
    int copied = 0;
    int from = 0;
    while (from < text.length() && scheme.find(from)) {
      int start = scheme.end();
      int[] remove = credentials(text, scheme.group(1), start);
      if (remove == null) {
        from = start;
        continue;
      }
      result.append(text, copied, remove[0]);
      copied = remove[1];
      // Whatever was removed is not looked at again, even if it held "://".
      from = remove[1];
    }
    return copied == 0 ? text : result.append(text, copied, text.length()).toString();
  }

  /** Whether a URL holds credentials that {@link #redact} would remove. */
  public static boolean hasCredentials(String url) {
    return !redact(url).equals(url);
  }

  /**
   * The range {@code [from, to)} of the credentials of the URL whose authority starts at {@code
   * start}, or null when it has none.
   */
  private static int[] credentials(String text, String scheme, int start) {
    int end = start;
    while (end < text.length() && !endsUrl(text.charAt(end))) {
      end++;
    }
    int authorityEnd = start;
    while (authorityEnd < end && "/?#".indexOf(text.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    int at = text.lastIndexOf('@', authorityEnd - 1);
    if (at < start) {
      // No user info, unless a password holds '/', '?' or '#' and so seems to end the host early:
      // "user:pa/ss@host" has a colon not followed by a port before the first slash.
      String authority = text.substring(start, authorityEnd);
      int colon = authority.indexOf(':');
      boolean port =
          colon < 0 || authority.substring(colon + 1).chars().allMatch(Character::isDigit);
      at = text.lastIndexOf('@', end - 1);
      if (port || authority.startsWith("[") || at < authorityEnd) {
        return null;
      }
      return new int[] {start, at + 1};
    }
    if (SSH.contains(scheme.toLowerCase(Locale.ROOT))) {
      String userInfo = text.substring(start, at);
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      if (PLAIN_USER.matcher(user).matches()) {
        return colon < 0 ? null : new int[] {start + colon, at};
      }
    }
    return new int[] {start, at + 1};
  }

  /** Whether a character cannot be part of a URL written in a message, a log line or JSON. */
  private static boolean endsUrl(char c) {
    return Character.isWhitespace(c) || "\"'<>`".indexOf(c) >= 0;
  }
}
