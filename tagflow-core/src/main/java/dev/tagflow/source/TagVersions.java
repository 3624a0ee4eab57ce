package dev.tagflow.source;

import java.util.Optional;

/** How a tag name maps to a version under a tag prefix. */
final class TagVersions {

  private TagVersions() {}

  /**
   * The version a tag stands for: with prefix {@code ""}, {@code 1.2.3} and {@code v1.2.3} both
   * mean 1.2.3 (the two habits people have); with any other prefix the tag must start with it.
   */
  static Optional<SemVer> versionOf(String tag, String prefix) {
    if (prefix.isEmpty()) {
      Optional<SemVer> bare = SemVer.parse(tag);
      return bare.isPresent() || !tag.startsWith("v") ? bare : SemVer.parse(tag.substring(1));
    }
    return tag.startsWith(prefix) ? SemVer.parse(tag.substring(prefix.length())) : Optional.empty();
  }
}
