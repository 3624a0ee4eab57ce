package dev.tagflow.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A promotion waiting for approval, as it is proposed: which release goes to which environment of
 * which repository, the values it sets, and the branch that holds the change.
 *
 * @param repository the environment repository's URL, without credentials
 * @param environment the environment's name
 * @param release the release's name ({@code web})
 * @param source {@code tag v1.2.3} or {@code branch main}
 * @param version the version promoted ({@code 1.2.3})
 * @param commit the release's commit
 * @param image the image reference, when there is one
 * @param digest the image's digest, when known
 * @param author who made the release; never an approver of it
 * @param changes the values set, in order
 * @param targetBranch the branch the change is merged into once approved ({@code main})
 * @param promotionBranch the branch holding the change ({@code promote/production/1.2.3})
 * @param headCommit the commit of the promotion branch when it was proposed
 * @param requiredApprovals how many distinct approvers it needs
 * @param roles the roles an approver must have one of; any role when empty
 */
public record PromotionDraft(
    String repository,
    String environment,
    String release,
    String source,
    String version,
    String commit,
    Optional<String> image,
    Optional<String> digest,
    Optional<String> author,
    List<Change> changes,
    String targetBranch,
    String promotionBranch,
    String headCommit,
    int requiredApprovals,
    List<String> roles) {

  public PromotionDraft {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(author, "author");
    changes = List.copyOf(changes);
    Objects.requireNonNull(targetBranch, "targetBranch");
    Objects.requireNonNull(promotionBranch, "promotionBranch");
    Objects.requireNonNull(headCommit, "headCommit");
    if (requiredApprovals < 1) {
      throw new IllegalArgumentException("a promotion request needs at least one approval");
    }
    roles = List.copyOf(roles);
  }

  /** One value set: a values path ({@code image.tag}) and its new value. */
  public record Change(String path, String value) {
    public Change {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(value, "value");
    }
  }
}
