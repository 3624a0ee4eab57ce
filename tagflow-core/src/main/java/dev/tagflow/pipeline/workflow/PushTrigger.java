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
}
