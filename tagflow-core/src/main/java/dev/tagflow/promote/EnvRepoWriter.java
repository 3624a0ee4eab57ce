package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.promote.EnvRepository.FileChange;
import dev.tagflow.promote.PromotionResult.Outcome;
import dev.tagflow.promote.PromotionResult.Refused;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.store.PromotionDraft;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes promotions into environment repositories: checks each environment's policy, edits {@code
 * environments/<env>/values.yaml}, commits naming the release and pushes — to main, to {@code
 * env/<name>}, or to a branch {@code promote/<env>/<version>} with a promotion request that people
 * approve.
 *
 * <p>One writer serves many repositories and writes to each one change at a time (a fair lock per
 * repository URL: a queue). Another writer (another Tagflow, a person) may push between our fetch
 * and our push; the push is then refused as not fast-forward, and the writer fetches, applies the
 * same edit to the new head (a rebase of the change, never a merge commit) and pushes again, up to
 * {@link WriterOptions#maxAttempts} times. So two releases promoted at the same moment both land.
 *
 * <p>Nothing half-written: every environment's policy, order and values edit is checked on the
 * newest main before anything is pushed; one refusal writes nothing.
 */
public final class EnvRepoWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EnvRepoWriter.class);

  private final PromotionStore requests;
  private final EnvironmentHealth health;
  private final WriterOptions options;
  private final PolicyReader policies;
  private final ValuesEditor editor;
  private final EnvRepositories repositories;
  private final EnvironmentCommits commits;
  private final PromotionApprovals approvals;

  /**
   * @param directory where the writer keeps its copies of environment repositories, one folder
   *     each; one writer per directory
   * @param remotes credentials and timeouts for each repository URL
   * @param requests where promotion requests are kept
   * @param health where applications were Healthy, for environments that come after others
   */
  public EnvRepoWriter(
      Path directory,
      RemoteAccess remotes,
      PromotionStore requests,
      EnvironmentHealth health,
      WriterOptions options) {
    this.requests = Objects.requireNonNull(requests, "requests");
    this.health = Objects.requireNonNull(health, "health");
    this.options = Objects.requireNonNull(options, "options");
    this.policies = new PolicyReader(options.limits());
    this.editor = new ValuesEditor(options.limits());
    this.repositories =
        new EnvRepositories(
            Objects.requireNonNull(directory, "directory").toAbsolutePath(),
            Objects.requireNonNull(remotes, "remotes"),
            options.limits());
    this.commits = new EnvironmentCommits(editor, options);
    this.approvals = new PromotionApprovals(requests, repositories, commits, options);
  }

  // --- promoting ---

  /**
   * Promotes a release into the environments of the request, in order.
   *
   * @return per environment what was written, or why it was refused (then nothing was written)
   * @throws TagflowException (INVALID_INPUT) when the policy file or a values file cannot be used,
   *     naming file:line:column; (FAILED) when the repository cannot be reached or the branch kept
   *     moving for every attempt
   */
  public PromotionResult promote(PromotionRequest request) {
    return repositories.inLane(
        request.repository(),
        repo -> {
          repo.fetch();
          ObjectId main = EnvironmentCommits.mainHead(repo, request.mainBranch());
          EnvironmentPolicy policy = readPolicy(repo, main, request.mainBranch());
          List<Outcome> refusals = new ArrayList<>();
          List<Environment> accepted = new ArrayList<>();
          for (String name : request.environments()) {
            check(repo, policy, name, request)
                .ifPresentOrElse(refusals::add, () -> accepted.add(policy.require(name)));
          }
          if (!refusals.isEmpty()) {
            return refusedAll(request, refusals);
          }
          for (Environment environment : accepted) {
            // A values file Tagflow cannot edit fails the whole promotion before any push.
            commits.edit(repo, main, environment, request.set());
          }
          List<Outcome> outcomes = new ArrayList<>();
          for (Environment environment : accepted) {
            outcomes.add(write(repo, request, environment));
          }
          return new PromotionResult(outcomes);
        });
  }

  /** Why the environment refuses the release, or empty when it takes it. */
  private Optional<Outcome> check(
      EnvRepository repo, EnvironmentPolicy policy, String name, PromotionRequest request) {
    Optional<Environment> environment = policy.environment(name);
    if (environment.isEmpty()) {
      return Optional.of(
          new Refused(
              name,
              Optional.empty(),
              "there is no environment '"
                  + name
                  + "' in "
                  + policy.file()
                  + "; it has "
                  + policy.environments().stream()
                      .map(Environment::name)
                      .collect(Collectors.joining(", "))));
    }
    if (policy.check(environment.get(), request.release())
        instanceof PolicyVerdict.Refused refused) {
      log.info(
          "promotion of {} {} to {} refused: {}",
          request.release().name(),
          request.release().source().name(),
          name,
          refused.message());
      return Optional.of(
          new Refused(name, refused.rule().map(AcceptRule::where), refused.message()));
    }
    return afterRefusal(repo, policy, environment.get(), request);
  }

  /**
   * The order of environments: the one this comes after must have been Healthy with the release.
   */
  private Optional<Outcome> afterRefusal(
      EnvRepository repo,
      EnvironmentPolicy policy,
      Environment environment,
      PromotionRequest request) {
    if (environment.after().isEmpty()) {
      return Optional.empty();
    }
    Environment before = policy.require(environment.after().get());
    for (String application : before.applications()) {
      List<String> commits = health.healthyCommits(application);
      boolean ran =
          commits.stream()
              .filter(repo::has)
              .anyMatch(commit -> holds(repo, ObjectId.fromString(commit), before, request.set()));
      if (!ran) {
        String values =
            request.set().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
        return Optional.of(
            new Refused(
                environment.name(),
                Optional.of(environment.where() + " (after: " + before.name() + ")"),
                request.release().source()
                    + " is refused for "
                    + environment.name()
                    + ": it comes after "
                    + before.name()
                    + " ("
                    + environment.where()
                    + "), and "
                    + application
                    + (commits.isEmpty()
                        ? " was never seen Healthy"
                        : " was not seen Healthy at a commit whose "
                            + before.valuesFile()
                            + " has "
                            + values)
                    + ". Nothing was written; promote it to "
                    + before.name()
                    + " first and wait until "
                    + application
                    + " is Healthy"));
      }
    }
    return Optional.empty();
  }

  private boolean holds(
      EnvRepository repo, ObjectId commit, Environment environment, Map<YamlPath, String> set) {
    Optional<String> text = repo.read(commit, environment.valuesFile());
    if (text.isEmpty()) {
      return false;
    }
    try {
      return set.entrySet().stream()
          .allMatch(
              e ->
                  editor
                      .get(environment.valuesFile(), text.get(), e.getKey())
                      .filter(e.getValue()::equals)
                      .isPresent());
    } catch (TagflowException unreadable) {
      return false;
    }
  }

  private static PromotionResult refusedAll(PromotionRequest request, List<Outcome> refusals) {
    List<String> refusedNames = refusals.stream().map(Outcome::environment).toList();
    List<Outcome> outcomes = new ArrayList<>();
    for (String name : request.environments()) {
      outcomes.add(
          refusals.stream()
              .filter(r -> r.environment().equals(name))
              .findFirst()
              .orElseGet(
                  () ->
                      new Refused(
                          name,
                          Optional.empty(),
                          "not written: "
                              + String.join(", ", refusedNames)
                              + " refused the release, and a promotion writes all its environments"
                              + " or none")));
    }
    return new PromotionResult(outcomes);
  }

  private Outcome write(EnvRepository repo, PromotionRequest request, Environment environment) {
    String main = request.mainBranch();
    String target =
        request.mode() == PromotionRequest.Mode.BRANCH ? "env/" + environment.name() : main;
    return switch (environment.promotion()) {
      case Environment.Approval approval ->
          propose(repo, request, environment, target, approval.required(), approval.roles());
      case Environment.Automatic automatic ->
          request.mode() == PromotionRequest.Mode.PULL_REQUEST
              ? propose(repo, request, environment, target, 1, List.of())
              : push(repo, request, environment, target);
    };
  }

  /**
   * Commits the edit on the target branch and pushes it, applying it again when the branch moved.
   */
  private Outcome push(
      EnvRepository repo, PromotionRequest request, Environment environment, String target) {
    for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
      if (attempt > 1) {
        EnvironmentCommits.backOff(attempt);
        repo.fetch();
      }
      ObjectId base = EnvironmentCommits.base(repo, target, request.mainBranch());
      EnvironmentCommits.Edit edit = commits.edit(repo, base, environment, request.set());
      if (!edit.changed()) {
        log.info(
            "promotion of {} {} to {}: {} already has it at {}",
            request.release().name(),
            request.release().version(),
            environment.name(),
            target,
            base.name());
        return new PromotionResult.Unchanged(environment.name(), target, base.name());
      }
      ObjectId commit =
          repo.commit(
              base,
              List.of(new FileChange(environment.valuesFile(), edit.text())),
              EnvironmentCommits.message(
                  request.release(), environment.name(), edit.summary(), Optional.empty()),
              commits.identity());
      options.beforePush().run(request.repository(), target, attempt);
      if (repo.push(commit, target, false) instanceof EnvRepository.Rejected rejected) {
        log.info(
            "push of {} {} to {} of {} refused ({}); fetching and applying it again",
            request.release().name(),
            request.release().version(),
            target,
            repo.where(),
            rejected.reason());
        continue;
      }
      log.info(
          "promoted {} {} to {}: {} on {} of {} ({})",
          request.release().name(),
          request.release().version(),
          environment.name(),
          commit.name(),
          target,
          repo.where(),
          edit.summary());
      return new PromotionResult.Written(
          environment.name(), target, commit.name(), edit.summary(), attempt);
    }
    throw commits.kept(repo, target);
  }

  /** Pushes the edit to {@code promote/<env>/<version>} and records a promotion request. */
  private Outcome propose(
      EnvRepository repo,
      PromotionRequest request,
      Environment environment,
      String target,
      int required,
      List<String> roles) {
    ObjectId base = EnvironmentCommits.base(repo, target, request.mainBranch());
    EnvironmentCommits.Edit edit = commits.edit(repo, base, environment, request.set());
    if (!edit.changed()) {
      return new PromotionResult.Unchanged(environment.name(), target, base.name());
    }
    String branch = "promote/" + environment.name() + "/" + request.release().version();
    ObjectId commit =
        repo.commit(
            base,
            List.of(new FileChange(environment.valuesFile(), edit.text())),
            EnvironmentCommits.message(
                request.release(), environment.name(), edit.summary(), Optional.empty()),
            commits.identity());
    pushOwnBranch(repo, commit, branch);
    ReleaseRef release = request.release();
    PromotionRecord record =
        requests.create(
            new PromotionDraft(
                UrlRedaction.redact(request.repository()),
                environment.name(),
                release.name(),
                EnvironmentCommits.describe(release.source()),
                release.version(),
                release.commit(),
                release.image(),
                release.digest(),
                release.author(),
                request.set().entrySet().stream()
                    .map(e -> new PromotionDraft.Change(e.getKey().toString(), e.getValue()))
                    .toList(),
                target,
                branch,
                commit.name(),
                required,
                roles));
    log.info(
        "promotion request {}: {} {} to {} waits for {} approval(s) on {} of {}",
        record.id(),
        release.name(),
        release.version(),
        environment.name(),
        required,
        branch,
        repo.where());
    return new PromotionResult.Requested(
        environment.name(), record.id(), branch, commit.name(), required);
  }

  private void pushOwnBranch(EnvRepository repo, ObjectId commit, String branch) {
    for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
      if (repo.push(commit, branch, true) instanceof EnvRepository.Accepted) {
        return;
      }
    }
    throw commits.kept(repo, branch);
  }

  private EnvironmentPolicy readPolicy(EnvRepository repo, ObjectId main, String branch) {
    String text =
        repo.read(main, EnvironmentPolicy.PATH)
            .orElseThrow(
                () ->
                    TagflowException.invalidInput(
                        repo.where()
                            + " has no "
                            + EnvironmentPolicy.PATH
                            + " on "
                            + branch
                            + ": add one that lists the environments and the releases each takes"
                            + " (see docs/promotion.md)"));
    return policies.read(EnvironmentPolicy.PATH, text);
  }

  // --- approving ---

  /**
   * Approves a pending promotion request; the approval that makes enough merges it into its target
   * branch: as it is when the branch has not moved, else its edit applied to the new head.
   *
   * @return the request as it stands afterwards (merged when this approval was the last needed)
   * @throws TagflowException (INVALID_INPUT) when the request is not pending, the approver made the
   *     release, lacks the role, or already approved; (FAILED) when merging fails (the request is
   *     pending again, with the reason)
   */
  public PromotionRecord approve(long id, Approver approver) {
    return approvals.approve(id, approver);
  }

  /**
   * Rejects a pending promotion request and deletes its branch.
   *
   * @throws TagflowException (INVALID_INPUT) when it is not pending or the person lacks the role
   */
  public PromotionRecord reject(long id, Approver approver, String reason) {
    return approvals.reject(id, approver, reason);
  }

  // --- reading ---

  /**
   * The values file a request changes, as its target branch had it when the request was proposed
   * (the promotion commit's parent) and as the request makes it. Fetches the repository when the
   * copy does not have the request's commit yet.
   *
   * @return empty when the request's commit is gone from the repository (its branch deleted after a
   *     merge or rejection, and never fetched)
   * @throws TagflowException (FAILED) when the repository cannot be reached or read
   */
  public Optional<ProposedValues> proposed(PromotionRecord request) {
    PromotionDraft draft = request.draft();
    String file = "environments/" + draft.environment() + "/values.yaml";
    return repositories.inLane(
        draft.repository(),
        repo -> {
          if (!repo.has(draft.headCommit())) {
            repo.fetch();
          }
          if (!repo.has(draft.headCommit())) {
            return Optional.empty();
          }
          ObjectId head = ObjectId.fromString(draft.headCommit());
          String after = repo.read(head, file).orElse("");
          String before = repo.parent(head).flatMap(parent -> repo.read(parent, file)).orElse("");
          return Optional.of(new ProposedValues(file, before, after));
        });
  }

  /** A values file before and after a promotion request's change. */
  public record ProposedValues(String file, String before, String after) {}

  @Override
  public void close() {
    repositories.close();
  }
}
