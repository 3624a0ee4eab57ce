package dev.tagflow.source;

/**
 * One entry of a tree read at a revision.
 *
 * @param path the path relative to the directory that was listed, with {@code /} separators
 * @param kind what the entry is
 * @param objectId the id of the blob (or of the commit, for a submodule)
 */
public record TreeEntry(String path, Kind kind, String objectId) {

  /** What a tree entry is; directories are walked into, not listed. */
  public enum Kind {
    FILE,
    EXECUTABLE,
    SYMLINK,
    SUBMODULE
  }
}
