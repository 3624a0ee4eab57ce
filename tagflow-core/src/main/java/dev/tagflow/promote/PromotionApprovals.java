package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import dev.tagflow.promote.EnvRepository.FileChange;
import dev.tagflow.store.PromotionDraft;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionRecord.PromotionState;
import dev.tagflow.store.PromotionStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotion requests decided by people: approvals counted (distinct, with a role, never the
 * release's author), the request merged into its target branch by the approval that makes enough,
 * or rejected. {@link EnvRepoWriter} is its entry point.
 */
final class PromotionApprovals {

  private static final Logger log = LoggerFactory.getLogger(PromotionApprovals.class);

  private final PromotionStore requests;
  private final EnvRepositories repositories;
  private final EnvironmentCommits commits;
  private final WriterOptions options;

  PromotionApprovals(
      PromotionStore requests,
      EnvRepositories repositories,
      EnvironmentCommits commits,
      WriterOptions options) {
    this.requests = requests;
    this.repositories = repositories;
    this.commits = commits;
    this.options = options;
  }

  /**
   * Approves a pending promotion request; the approval that makes enough merges it into its target
   * branch: as it is when the branch has not moved, else its edit applied to the new head.
   *
   * @return the request as it stands afterwards (merged when this approval was the last needed)
   * @throws TagflowException (INVALID_INPUT) when the request is not pending, the approver made the
   *     release, lacks the role, or already approved; (FAILED) when merging fails (the request is
   *     pending again, with the reason)
   */
  PromotionRecord approve(long id, Approver approver) {
    PromotionRecord request = pending(id);
    PromotionDraft draft = request.draft();
    if (draft.author().filter(a -> a.equalsIgnoreCase(approver.name())).isPresent()) {
      throw TagflowException.invalidInput(
          approver.name()
              + " made release "
              + draft.source()
              + " and cannot approve its own promotion; ask someone else to approve request "
              + id);
    }
    Optional<String> role = role(request, approver, "approve");
    // After a merge that failed the request has its approvals already: approving again retries.
    PromotionRecord approved =
        request.approvals().size() >= draft.requiredApprovals()
            ? request
            : requests.approve(
                id, new PromotionRecord.Approval(approver.name(), role, options.clock().instant()));
    log.info(
        "promotion request {} ({} {} to {}) approved by {} ({} of {})",
        id,
        draft.release(),
        draft.version(),
        draft.environment(),
        approver.name(),
        approved.approvals().size(),
        draft.requiredApprovals());
    if (approved.approvals().size() < draft.requiredApprovals()) {
      return approved;
    }
    Optional<PromotionRecord> merging =
        requests.transition(
            id,
            PromotionState.PENDING,
            PromotionState.APPROVED,
            approved.approvals().size() + " of " + draft.requiredApprovals() + " approvals",
            Optional.empty());
    if (merging.isEmpty()) {
      // Another approval got there first and merges it.
      return requests.get(id).orElseThrow();
    }
    return merge(merging.get());
  }

  /**
   * Rejects a pending promotion request and deletes its branch.
   *
   * @throws TagflowException (INVALID_INPUT) when it is not pending or the person lacks the role
   */
  PromotionRecord reject(long id, Approver approver, String reason) {
    PromotionRecord request = pending(id);
    role(request, approver, "reject");
    String message = "rejected by " + approver.name() + (reason.isBlank() ? "" : ": " + reason);
    PromotionRecord rejected =
        requests
            .transition(
                id, PromotionState.PENDING, PromotionState.REJECTED, message, Optional.empty())
            .orElseThrow(() -> notPending(id));
    deleteBranch(rejected);
    log.info("promotion request {} {}", id, message);
    return rejected;
  }

  private PromotionRecord merge(PromotionRecord request) {
    PromotionDraft draft = request.draft();
    try {
      return repositories.inLane(
          draft.repository(),
          repo -> {
            repo.fetch();
            Environment environment = environmentOf(draft);
            Map<YamlPath, String> set = new LinkedHashMap<>();
            draft.changes().forEach(c -> set.put(YamlPath.parse(c.path()), c.value()));
            ObjectId proposed = ObjectId.fromString(draft.headCommit());
            for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
              if (attempt > 1) {
                EnvironmentCommits.backOff(attempt);
                repo.fetch();
              }
              ObjectId target =
                  EnvironmentCommits.base(repo, draft.targetBranch(), PromotionRequest.MAIN);
              boolean fastForward =
                  repo.has(proposed.name())
                      && repo.parent(proposed).filter(target::equals).isPresent();
              ObjectId commit;
              if (fastForward) {
                commit = proposed;
              } else {
                EnvironmentCommits.Edit edit = commits.edit(repo, target, environment, set);
                if (!edit.changed()) {
                  return finish(request, repo, target, "already on " + draft.targetBranch());
                }
                commit =
                    repo.commit(
                        target,
                        List.of(new FileChange(environment.valuesFile(), edit.text())),
                        EnvironmentCommits.messageOf(draft, edit.summary(), request.id()),
                        commits.identity());
              }
              options.beforePush().run(draft.repository(), draft.targetBranch(), attempt);
              if (repo.push(commit, draft.targetBranch(), false)
                  instanceof EnvRepository.Accepted) {
                return finish(
                    request,
                    repo,
                    commit,
                    "merged into "
                        + draft.targetBranch()
                        + " as "
                        + commit.name()
                        + (fastForward
                            ? " (fast-forward)"
                            : " (rebased onto " + target.name() + ")"));
              }
            }
            throw commits.kept(repo, draft.targetBranch());
          });
    } catch (RuntimeException e) {
      requests.transition(
          request.id(),
          PromotionState.APPROVED,
          PromotionState.PENDING,
          "merging failed: " + e.getMessage(),
          Optional.empty());
      throw e;
    }
  }

  private PromotionRecord finish(
      PromotionRecord request, EnvRepository repo, ObjectId commit, String message) {
    PromotionRecord merged =
        requests
            .transition(
                request.id(),
                PromotionState.APPROVED,
                PromotionState.MERGED,
                message,
                Optional.of(commit.name()))
            .orElseThrow();
    if (repo.delete(request.draft().promotionBranch()) instanceof EnvRepository.Rejected rejected) {
      log.warn("could not delete {}: {}", request.draft().promotionBranch(), rejected.reason());
    }
    log.info(
        "promotion request {} ({} {} to {}) {}",
        request.id(),
        request.draft().release(),
        request.draft().version(),
        request.draft().environment(),
        message);
    return merged;
  }

  private void deleteBranch(PromotionRecord request) {
    try {
      repositories.inLane(
          request.draft().repository(), repo -> repo.delete(request.draft().promotionBranch()));
    } catch (TagflowException e) {
      log.warn(
          "could not delete {} of promotion request {}: {}",
          request.draft().promotionBranch(),
          request.id(),
          e.getMessage());
    }
  }

  private PromotionRecord pending(long id) {
    PromotionRecord request =
        requests
            .get(id)
            .orElseThrow(
                () ->
                    TagflowException.invalidInput(
                        "there is no promotion request " + id + "; see tagflow approvals list"));
    if (request.state() != PromotionState.PENDING) {
      throw notPending(id);
    }
    return request;
  }

  private TagflowException notPending(long id) {
    String state = requests.get(id).map(r -> r.state().displayName().toLowerCase()).orElse("gone");
    return TagflowException.invalidInput(
        "promotion request " + id + " is " + state + ", not pending; nothing was changed");
  }

  private static Optional<String> role(PromotionRecord request, Approver approver, String verb) {
    List<String> roles = request.draft().roles();
    if (roles.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        roles.stream()
            .filter(approver.roles()::contains)
            .findFirst()
            .orElseThrow(
                () ->
                    TagflowException.invalidInput(
                        "to "
                            + verb
                            + " a promotion to "
                            + request.draft().environment()
                            + " takes one of the roles "
                            + String.join(", ", roles)
                            + "; "
                            + approver.name()
                            + (approver.roles().isEmpty()
                                ? " has none"
                                : " has "
                                    + String.join(
                                        ", ", approver.roles().stream().sorted().toList())))));
  }

  /** The environment a stored request names, with the values file it edits. */
  private static Environment environmentOf(PromotionDraft draft) {
    return new Environment(
        draft.environment(),
        "",
        List.of(),
        new Environment.Automatic(),
        Optional.empty(),
        List.of(),
        List.of());
  }
}
