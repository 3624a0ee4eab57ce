package dev.tagflow.promote;

import dev.tagflow.source.SemVer;
import java.util.Optional;

/**
 * One rule of an environment's {@code accept:} list: which tags (or branches) it takes.
 *
 * @param where {@code environments/policy.yaml:14:9}, to name the rule in a refusal
 * @param branches whether it is about branch builds ({@code branches:}) instead of tags
 * @param pattern the tag or branch glob
 * @param semver whether the name after the pattern's fixed prefix must be a version ({@code
 *     prod-v*} with {@code semver: true} takes {@code prod-v1.2.3}, not {@code prod-vnext})
 * @param prerelease whether a prerelease version ({@code 1.3.0-rc.1}) is taken; {@code false}
 *     implies {@code semver}
 */
public record AcceptRule(
    String where, boolean branches, TagPattern pattern, boolean semver, boolean prerelease) {

  /** Why this rule does not take the release, or empty when it does. */
  Optional<String> refusal(ReleaseRef.Source source) {
    boolean isBranch = source instanceof ReleaseRef.Branch;
    if (isBranch != branches) {
      return Optional.of(isBranch ? "it takes tags, not branch builds" : "it takes branch builds");
    }
    if (!pattern.matches(source.name())) {
      return Optional.of(source.name() + " does not match " + pattern);
    }
    if (semver || !prerelease) {
      String rest = source.name().substring(pattern.literalPrefix().length());
      Optional<SemVer> version = SemVer.parse(rest);
      if (version.isEmpty()) {
        return Optional.of(
            "'" + rest + "' after " + pattern.literalPrefix() + " is not a version (1.2.3)");
      }
      if (!prerelease && version.get().isPrerelease()) {
        return Optional.of(
            version.get()
                + " is a prerelease ("
                + String.join(".", version.get().prerelease())
                + ")");
      }
    }
    return Optional.empty();
  }

  /** {@code tags v*, semver, no prereleases}. */
  String describe() {
    StringBuilder s = new StringBuilder(branches ? "branches " : "tags ").append(pattern);
    if (semver && prerelease) {
      s.append(", versions");
    }
    if (!prerelease) {
      s.append(", versions without prerelease");
    }
    return s.toString();
  }
}
