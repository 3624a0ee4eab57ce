package dev.tagflow.source;

import dev.tagflow.UrlRedaction;
import java.util.Locale;

/**
 * A repository URL as repositories are told apart: without credentials (as the mirrors key them),
 * without a trailing slash or {@code .git}, the scheme and host in lower case.
 */
public final class RepoKey {

  private RepoKey() {}

  public static String of(String url) {
    String plain = UrlRedaction.redact(url.strip());
    while (plain.endsWith("/")) {
      plain = plain.substring(0, plain.length() - 1);
    }
    if (plain.endsWith(".git")) {
      plain = plain.substring(0, plain.length() - 4);
    }
    int scheme = plain.indexOf("://");
    if (scheme > 0) {
      int pathStart = plain.indexOf('/', scheme + 3);
      String authority = pathStart < 0 ? plain : plain.substring(0, pathStart);
      String path = pathStart < 0 ? "" : plain.substring(pathStart);
      plain = authority.toLowerCase(Locale.ROOT) + path;
    }
    return plain;
  }
}
