package dev.tagflow.server.webhook;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matches the URLs a webhook payload names (clone, HTML, SSH) against the repositories Tagflow
 * tracks, ignoring the differences that do not change which repository is meant: scheme, user,
 * port, a trailing {@code .git} or slash, and letter case.
 */
public final class RepositoryUrls {

  // git@github.com:owner/repo.git — the scp-like form has no scheme and a colon before the path.
  private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/]+@)?([^:/]+):(?!//)(.+)$");
  private static final Pattern WITH_SCHEME = Pattern.compile("^[a-z][a-z0-9+.-]*://(.*)$");

  private final TrackedRepositories tracked;

  public RepositoryUrls(TrackedRepositories tracked) {
    this.tracked = Objects.requireNonNull(tracked, "tracked");
  }

  /** The tracked repository URLs, as configured, that any of {@code payloadUrls} refers to. */
  public List<String> matching(Collection<String> payloadUrls) {
    List<String> keys =
        payloadUrls.stream().filter(Objects::nonNull).map(RepositoryUrls::key).toList();
    return tracked.urls().stream().filter(url -> keys.contains(key(url))).distinct().toList();
  }

  /** The comparable form of a repository URL: {@code host/path} or a local path, lower case. */
  static String key(String url) {
    String text = url.strip().toLowerCase(Locale.ROOT);
    String hostAndPath;
    Matcher scheme = WITH_SCHEME.matcher(text);
    Matcher scp = SCP_LIKE.matcher(text);
    if (scheme.matches()) {
      String rest = scheme.group(1);
      int slash = rest.indexOf('/');
      String authority = slash < 0 ? rest : rest.substring(0, slash);
      String path = slash < 0 ? "" : rest.substring(slash);
      String host = authority.substring(authority.lastIndexOf('@') + 1);
      host = host.startsWith("[") ? host : host.replaceFirst(":\\d*$", "");
      hostAndPath = host + path;
    } else if (scp.matches() && !text.startsWith("/")) {
      hostAndPath = scp.group(1) + "/" + scp.group(2);
    } else {
      hostAndPath = text;
    }
    while (hostAndPath.endsWith("/")) {
      hostAndPath = hostAndPath.substring(0, hostAndPath.length() - 1);
    }
    if (hostAndPath.endsWith(".git")) {
      hostAndPath = hostAndPath.substring(0, hostAndPath.length() - ".git".length());
    }
    return hostAndPath;
  }
}
