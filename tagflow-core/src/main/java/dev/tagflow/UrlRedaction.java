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
 * so a malformed URL is shown too short rather than with its secret. Redacting a redacted text
 * changes nothing. The result is also the form Tagflow keeps and fetches from: a stored URL never
 * holds credentials.
 *
 * <p>Three malformed forms cannot be told from a valid URL, and keep part of their secret: a token
 * without a password that holds a {@code /}, {@code ?} or {@code #} ({@code https://to/ken@host}
 * reads as host {@code to} and path {@code /ken@host}); a password that holds both an {@code @} and
 * one of those ({@code https://user:p@ss?word@host} reads as host {@code ss} and a query); and a
 * password that starts with a number followed by one of those ({@code https://user:2024/pw@host}
 * reads as host {@code user}, port 2024). A colon followed by nothing is read as a password, not an
 * empty port: {@code https://user:/pw@host} and {@code https://host:/r@x} both lose their
 * {@code @}.
 */
public final class UrlRedaction {

  private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://");
  private static final Set<String> SSH = Set.of("ssh", "git+ssh", "ssh+git");
  private static final Pattern PLAIN_USER = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern PORT = Pattern.compile("[0-9]+");
  // An IPv6 host ("[::1]:8443", "[fe80::1%25eth0]"), whose colons are no password's.
  private static final Pattern BRACKETED_HOST = Pattern.compile("\\[[0-9A-Za-z:.%]*](:[0-9]+)?");

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
      int authority = scheme.end();
      // What follows user info is read as an authority again, since it may look like user info
      // too ("https://me@corp:pa/ss@host" loses "me@", then "corp:pa/ss@"): so redacting the
      // result again finds nothing more.
      for (UserInfo info; (info = userInfo(text, scheme.group(1), authority)) != null; ) {
        result.append(text, copied, info.removeFrom());
        copied = info.removeTo();
        authority = info.host();
      }
      // Whatever was removed is not looked at again, even if it held "://".
      from = authority;
    }
    return copied == 0 ? text : result.append(text, copied, text.length()).toString();
  }

  /** Whether a URL holds credentials that {@link #redact} would remove. */
  public static boolean hasCredentials(String url) {
    return !redact(url).equals(url);
  }

  /**
   * The user info of a URL: what of it to remove, {@code [removeFrom, removeTo)} (nothing, for a
   * plain SSH user name), and where the host after it starts.
   */
  private record UserInfo(int removeFrom, int removeTo, int host) {}

  /** The user info of the URL whose authority starts at {@code start}, or null when it has none. */
  private static UserInfo userInfo(String text, String scheme, int start) {
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
      // "user:pa/ss@host" has a colon not followed by a port before the first slash; so has
      // "user:/pass@host", whose colon is followed by nothing (a port has at least one digit).
      String authority = text.substring(start, authorityEnd);
      int colon = authority.indexOf(':');
      boolean port = colon < 0 || PORT.matcher(authority.substring(colon + 1)).matches();
      at = text.lastIndexOf('@', end - 1);
      if (port || BRACKETED_HOST.matcher(authority).matches() || at < authorityEnd) {
        return null;
      }
      return new UserInfo(start, at + 1, at + 1);
    }
    if (SSH.contains(scheme.toLowerCase(Locale.ROOT))) {
      String userInfo = text.substring(start, at);
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      if (PLAIN_USER.matcher(user).matches()) {
        int password = colon < 0 ? at : start + colon;
        return new UserInfo(password, at, at + 1);
      }
    }
    return new UserInfo(start, at + 1, at + 1);
  }

  /** Whether a character cannot be part of a URL written in a message, a log line or JSON. */
  private static boolean endsUrl(char c) {
    return Character.isWhitespace(c) || "\"'<>`".indexOf(c) >= 0;
  }
}
