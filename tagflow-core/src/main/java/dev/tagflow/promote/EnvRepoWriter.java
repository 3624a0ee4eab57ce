package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.promote.EnvRepository.FileChange;
import dev.tagflow.promote.PromotionResult.Outcome;
import dev.tagflow.promote.PromotionResult.Refused;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoEntry;
import dev.tagflow.store.PromotionDraft;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionRecord.PromotionState;
import dev.tagflow.store.PromotionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
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

  private final Path directory;
  private final RemoteAccess remotes;
  private final PromotionStore requests;
  private final EnvironmentHealth health;
  private final WriterOptions options;
  private final PolicyReader policies;
  private final ValuesEditor editor;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

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
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
    this.remotes = Objects.requireNonNull(remotes, "remotes");
    this.requests = Objects.requireNonNull(requests, "requests");
    this.health = Objects.requireNonNull(health, "health");
    this.options = Objects.requireNonNull(options, "options");
    this.policies = new PolicyReader(options.limits());
    this.editor = new ValuesEditor(options.limits());
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
    return inLane(
        request.repository(),
        repo -> {
          repo.fetch();
          ObjectId main = mainHead(repo, request.mainBranch());
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
            edit(repo, main, environment, request.set());
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
        backOff(attempt);
        repo.fetch();
      }
      ObjectId base = base(repo, target, request.mainBranch());
      Edit edit = edit(repo, base, environment, request.set());
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
              message(request.release(), environment.name(), edit.summary(), Optional.empty()),
              identity());
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
    throw kept(repo, target);
  }

  /** Pushes the edit to {@code promote/<env>/<version>} and records a promotion request. */
  private Outcome propose(
      EnvRepository repo,
      PromotionRequest request,
      Environment environment,
      String target,
      int required,
      List<String> roles) {
    ObjectId base = base(repo, target, request.mainBranch());
    Edit edit = edit(repo, base, environment, request.set());
    if (!edit.changed()) {
      return new PromotionResult.Unchanged(environment.name(), target, base.name());
    }
    String branch = "promote/" + environment.name() + "/" + request.release().version();
    ObjectId commit =
        repo.commit(
            base,
            List.of(new FileChange(environment.valuesFile(), edit.text())),
            message(request.release(), environment.name(), edit.summary(), Optional.empty()),
            identity());
    pushOwnBranch(repo, commit, branch);
    ReleaseRef release = request.release();
    PromotionRecord record =
        requests.create(
            new PromotionDraft(
                UrlRedaction.redact(request.repository()),
                environment.name(),
                release.name(),
                describe(release.source()),
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
    throw kept(repo, branch);
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
  public PromotionRecord reject(long id, Approver approver, String reason) {
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
      return inLane(
          draft.repository(),
          repo -> {
            repo.fetch();
            Environment environment = environmentOf(draft);
            Map<YamlPath, String> set = new LinkedHashMap<>();
            draft.changes().forEach(c -> set.put(YamlPath.parse(c.path()), c.value()));
            ObjectId proposed = ObjectId.fromString(draft.headCommit());
            for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
              if (attempt > 1) {
                backOff(attempt);
                repo.fetch();
              }
              ObjectId target = base(repo, draft.targetBranch(), PromotionRequest.MAIN);
              boolean fastForward =
                  repo.has(proposed.name())
                      && repo.parent(proposed).filter(target::equals).isPresent();
              ObjectId commit;
              if (fastForward) {
                commit = proposed;
              } else {
                Edit edit = edit(repo, target, environment, set);
                if (!edit.changed()) {
                  return finish(request, repo, target, "already on " + draft.targetBranch());
                }
                commit =
                    repo.commit(
                        target,
                        List.of(new FileChange(environment.valuesFile(), edit.text())),
                        messageOf(draft, edit.summary(), request.id()),
                        identity());
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
            throw kept(repo, draft.targetBranch());
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
      inLane(request.draft().repository(), repo -> repo.delete(request.draft().promotionBranch()));
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

  // --- shared steps ---

  /** A values file after the edits: its text, whether it changed, and what changed. */
  private record Edit(String text, boolean changed, String summary) {}

  private Edit edit(
      EnvRepository repo, ObjectId base, Environment environment, Map<YamlPath, String> set) {
    String file = environment.valuesFile();
    String text =
        repo.read(base, file)
            .orElseThrow(
                () ->
                    TagflowException.invalidInput(
                        file
                            + " does not exist at "
                            + base.name()
                            + " of "
                            + repo.where()
                            + "; create it (an empty file will do) so that Tagflow can set values in"
                            + " it"));
    String edited = text;
    List<String> changes = new ArrayList<>();
    for (Map.Entry<YamlPath, String> entry : set.entrySet()) {
      ValuesEditor.Edited result = editor.set(file, edited, entry.getKey(), entry.getValue());
      if (result.changed()) {
        changes.add(
            entry.getKey() + ": " + result.before().orElse("(none)") + " → " + entry.getValue());
      }
      edited = result.text();
    }
    return new Edit(edited, !edited.equals(text), String.join(", ", changes));
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

  private static ObjectId mainHead(EnvRepository repo, String branch) {
    return repo.head(branch)
        .orElseThrow(
            () ->
                TagflowException.invalidInput(
                    repo.where()
                        + " has no branch "
                        + branch
                        + "; push the environment repository's main branch first, or name the"
                        + " branch it uses"));
  }

  /** Where a change to the target branch starts: its head, or main's for a new branch. */
  private static ObjectId base(EnvRepository repo, String target, String main) {
    return repo.head(target).orElseGet(() -> mainHead(repo, main));
  }

  private PersonIdent identity() {
    return new PersonIdent(
        options.committerName(),
        options.committerEmail(),
        options.clock().instant(),
        options.clock().getZone());
  }

  /** {@code promote web v1.2.3 to staging}, what changed, and trailers naming the release. */
  static String message(
      ReleaseRef release, String environment, String summary, Optional<Long> requestId) {
    StringBuilder s =
        new StringBuilder("promote ")
            .append(release.name())
            .append(' ')
            .append(
                release.source() instanceof ReleaseRef.Tag tag
                    ? tag.name()
                    : release.source().name() + " (" + release.version() + ")")
            .append(" to ")
            .append(environment)
            .append("\n\n")
            .append(summary.replace(", ", "\n"))
            .append("\n\n");
    s.append(release.source() instanceof ReleaseRef.Tag ? "Release-Tag: " : "Release-Branch: ")
        .append(release.source().name())
        .append('\n');
    s.append("Release-Version: ").append(release.version()).append('\n');
    s.append("Release-Commit: ").append(release.commit()).append('\n');
    release.image().ifPresent(image -> s.append("Image: ").append(image).append('\n'));
    release.digest().ifPresent(digest -> s.append("Image-Digest: ").append(digest).append('\n'));
    requestId.ifPresent(id -> s.append("Promotion-Request: ").append(id).append('\n'));
    return s.toString();
  }

  private static String messageOf(PromotionDraft draft, String summary, long requestId) {
    String[] source = draft.source().split(" ", 2);
    ReleaseRef release =
        new ReleaseRef(
            draft.release(),
            source[0].equals("branch")
                ? new ReleaseRef.Branch(source[1])
                : new ReleaseRef.Tag(source[source.length - 1]),
            draft.version(),
            draft.commit(),
            draft.image(),
            draft.digest(),
            draft.author());
    return message(release, draft.environment(), summary, Optional.of(requestId));
  }

  private static String describe(ReleaseRef.Source source) {
    return (source instanceof ReleaseRef.Tag ? "tag " : "branch ") + source.name();
  }

  /**
   * Waits a random while before trying again after a refused push, up to twice as long each time
   * (25 ms, 50 ms, … at most 1 s): two writers that keep pushing at once would otherwise keep
   * refusing each other in step.
   */
  private static void backOff(int attempt) {
    long bound = Math.min(1000, 25L << Math.min(attempt - 2, 6));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(bound + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TagflowException.failed("interrupted while waiting to push again", e);
    }
  }

  private TagflowException kept(EnvRepository repo, String branch) {
    return TagflowException.failed(
        "could not push to "
            + branch
            + " of "
            + repo.where()
            + ": it moved again before each of "
            + options.maxAttempts()
            + " attempts; nothing was written, try again");
  }

  // --- one lane per repository ---

  /** The copy of one repository and the lock that makes its writes one at a time, in order. */
  private static final class Lane {
    final ReentrantLock lock = new ReentrantLock(true);
    EnvRepository repository;
  }

  private <T> T inLane(String url, Function<EnvRepository, T> work) {
    Lane lane = lanes.computeIfAbsent(UrlRedaction.redact(url), key -> new Lane());
    lane.lock.lock();
    try {
      if (lane.repository == null) {
        lane.repository = new EnvRepository(copyOf(url), url, remotes, options.limits());
      }
      return work.apply(lane.repository);
    } finally {
      lane.lock.unlock();
    }
  }

  private Path copyOf(String url) {
    try {
      Files.createDirectories(directory);
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(UrlRedaction.redact(url).getBytes(StandardCharsets.UTF_8));
      return directory.resolve(
          RepoEntry.defaultName(url) + "-" + HexFormat.of().formatHex(hash, 0, 6) + ".git");
    } catch (java.io.IOException | NoSuchAlgorithmException e) {
      throw TagflowException.failed("cannot create " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    for (Lane lane : lanes.values()) {
      lane.lock.lock();
      try {
        if (lane.repository != null) {
          lane.repository.close();
          lane.repository = null;
        }
      } finally {
        lane.lock.unlock();
      }
    }
  }
}
