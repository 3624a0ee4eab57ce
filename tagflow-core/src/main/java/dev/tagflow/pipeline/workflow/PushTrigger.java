package dev.tagflow.pipeline.workflow;

import java.util.Optional;

/**
 * {@code on.push}, with GitHub's rule for which refs it covers: with neither branch nor tag filters
 * every branch and tag; with only tag filters no branch; with only branch filters no tag.
 *
 * <p>One difference, on purpose: a push of a branch starts a workflow only when it asks for
 * branches ({@code branches} or {@code branches-ignore}). A bare {@code on: push} (most CI
 * workflows) runs for tags but not for every branch commit, since Tagflow starts releases, not CI.
 *
 * @param branches {@code branches} or {@code branches-ignore}, if given
 * @param tags {@code tags} or {@code tags-ignore}, if given
 * @param paths whether {@code paths} or {@code paths-ignore} is given: GitHub does not evaluate
 *     them for tags, and Tagflow evaluates them for nothing yet
 */
public record PushTrigger(Optional<RefFilter> branches, Optional<RefFilter> tags, boolean paths) {

  /** Whether a push of this ref starts the workflow. */
  public boolean starts(RefPush push) {
    return switch (push.kind()) {
      case TAG -> tags.map(filter -> filter.admits(push.name())).orElse(branches.isEmpty());
      case BRANCH -> branches.map(filter -> filter.admits(push.name())).orElse(false);
    };
  }

  /**
   * What the trigger starts on, for people: {@code tags v*, !v*-rc*; branches main}, {@code every
   * tag} for a bare push.
   */
  public String describe() {
    if (branches.isEmpty() && tags.isEmpty()) {
      return "every tag";
    }
    StringBuilder out = new StringBuilder();
    tags.ifPresent(filter -> out.append(describe("tags", filter)));
    branches.ifPresent(
        filter -> out.append(out.isEmpty() ? "" : "; ").append(describe("branches", filter)));
    return out.toString();
  }

  private static String describe(String kind, RefFilter filter) {
    return switch (filter) {
      case RefFilter.Include include ->
          include.patterns().isEmpty()
              ? "no " + kind
              : kind
                  + " "
                  + String.join(", ", include.patterns().stream().map(RefPattern::text).toList());
      case RefFilter.Ignore ignore ->
          ignore.patterns().isEmpty()
              ? "every " + kind.substring(0, kind.length() - 1)
              : kind
                  + " except "
                  + String.join(", ", ignore.patterns().stream().map(RefPattern::text).toList());
    };
  }
}
