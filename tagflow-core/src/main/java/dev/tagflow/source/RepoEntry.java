package dev.tagflow.source;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A repository Tagflow was told about: a short name people use, its URL, and how to log in.
 *
 * @param name letters, digits, {@code .}, {@code _} and {@code -}; unique among the repositories
 * @param url the URL to fetch (HTTPS, SSH, {@code file://} or a plain path), without credentials
 *     when it comes from {@link RepoRegistry}
 * @param credentials where the secrets are; never the secrets themselves
 */
public record RepoEntry(String name, String url, RepoCredentials credentials) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  public RepoEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(credentials, "credentials");
    if (!NAME.matcher(name).matches()) {
      throw TagflowException.invalidInput(
          "'"
              + name
              + "' is not a valid repository name: use letters, digits, '.', '_' and '-',"
              + " starting with a letter or digit");
    }
    if (url.isBlank()) {
      throw TagflowException.invalidInput("the repository URL is empty");
    }
  }

  /**
   * The name a URL suggests: its last path segment without {@code .git} ({@code web}); never a part
   * of its credentials.
   */
  public static String defaultName(String url) {
    String path = UrlRedaction.redact(url).replaceAll("[/\\\\]+$", "").replaceAll("\\.git$", "");
    String last = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf(':')) + 1);
    String name = last.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
    return name.isEmpty() ? "repo" : name;
  }
}
