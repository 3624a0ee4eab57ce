package dev.tagflow.app;

/**
 * Paths inside a repository as an Application writes them: relative to the repository's root (or to
 * the source's path, for values files), never leaving the repository, so an Application cannot make
 * Tagflow read files of its own host.
 */
final class RepoPath {

  private RepoPath() {}

  /** Whether {@code relative}, taken from {@code base}, ends up outside the repository. */
  static boolean escapes(String base, String relative) {
    if (relative.startsWith("/") || relative.startsWith("\\") || relative.matches("^[A-Za-z]:.*")) {
      return true;
    }
    int depth = 0;
    for (String part : (base + "/" + relative).split("[/\\\\]")) {
      if (part.equals("..")) {
        depth--;
      } else if (!part.isEmpty() && !part.equals(".")) {
        depth++;
      }
      if (depth < 0) {
        return true;
      }
    }
    return false;
  }
}
