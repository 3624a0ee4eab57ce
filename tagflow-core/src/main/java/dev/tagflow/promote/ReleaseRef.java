package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import java.util.Objects;
import java.util.Optional;

/**
 * The release being promoted: what it is called, the Git ref it was built from, and what was built.
 *
 * @param name the application or project released ({@code web}), named in commit messages
 * @param source the tag (a release) or branch (a branch build) it was built from
 * @param version what environments get, usually the image tag ({@code 1.2.3} for {@code v1.2.3})
 * @param commit the full commit id the release was built from
 * @param image the image reference pushed ({@code registry/web:1.2.3}), when there is one
 * @param digest the image's digest ({@code sha256:…}), when known
 * @param author who made the release (the tag's tagger or the commit's author): never an approver
 *     of its own promotion
 */
public record ReleaseRef(
    String name,
    Source source,
    String version,
    String commit,
    Optional<String> image,
    Optional<String> digest,
    Optional<String> author) {

  /** Where a release comes from. */
  public sealed interface Source {
    String name();
  }

  /** A tag: {@code v1.2.3}, {@code prod-v1.2.3}. */
  public record Tag(String name) implements Source {
    public Tag {
      requireText(name, "tag");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A branch build: {@code main}. */
  public record Branch(String name) implements Source {
    public Branch {
      requireText(name, "branch");
    }

    @Override
    public String toString() {
      return "branch " + name;
    }
  }

  public ReleaseRef {
    requireText(name, "name");
    Objects.requireNonNull(source, "source");
    requireText(version, "version");
    requireText(commit, "commit");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(author, "author");
    // It names a branch, so it must be a valid ref name part too: no "..", no ".lock" at the end.
    if (!version.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}")
        || version.contains("..")
        || version.endsWith(".")
        || version.endsWith(".lock")) {
      throw TagflowException.invalidInput(
          "'"
              + version
              + "' is not a version Tagflow can promote: use letters, digits, '.', '_', '+' and"
              + " '-' (it names a branch and usually an image tag)");
    }
  }

  /**
   * A release of a tag, its version the tag without a leading {@code v} or {@code prod-v} prefix
   * when what follows is a number ({@code v1.2.3} and {@code prod-v1.2.3} give {@code 1.2.3}).
   */
  public static ReleaseRef ofTag(String name, String tag, String commit) {
    return new ReleaseRef(
        name,
        new Tag(tag),
        versionOf(tag),
        commit,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** The version a tag stands for: {@code v1.2.3} → {@code 1.2.3}; other tags as they are. */
  public static String versionOf(String tag) {
    return tag.replaceFirst("^(?:[A-Za-z]+-)*v(?=[0-9])", "");
  }

  public ReleaseRef withImage(String reference, Optional<String> imageDigest) {
    return new ReleaseRef(
        name, source, version, commit, Optional.of(reference), imageDigest, author);
  }

  public ReleaseRef withAuthor(String who) {
    return new ReleaseRef(name, source, version, commit, image, digest, Optional.of(who));
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw TagflowException.invalidInput("a release needs a " + what);
    }
  }
}
