package dev.tagflow.source;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts one path of a branch back to what it was at a good commit, by a commit pushed to the
 * repository: the rollback policy's way of keeping Git the truth.
 *
 * <p>The commits between the good and the bad commit that changed the path are reverted on top of
 * the branch's head, newest first, into one commit — as {@code git revert --no-commit good..bad}
 * then one commit would; commits pushed after the bad one are kept. When a revert does not apply
 * cleanly (a commit after the bad one changed the same lines), when one of those commits is a
 * merge, or when one also changed files outside the path (reverting it would undo another
 * application's change), the commit instead writes the good commit's files under the path.
 * Everything is done on the objects of the {@link RepoCache}'s mirror, without a checkout; the
 * commit is pushed with the repository's credentials, and a push refused because the branch moved
 * meanwhile (non-fast-forward) is made again on the new head, a bounded number of times.
 */
public final class GitRevert {

  private static final Logger log = LoggerFactory.getLogger(GitRevert.class);

  /** Pushes tried when the branch keeps moving under us: then a person should look. */
  static final int MAX_ATTEMPTS = 5;

  private final RepoCache repos;
  private final PersonIdent author;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  /**
   * @param author who the commits are by ({@code Tagflow <tagflow@tagflow.dev>})
   */
  public GitRevert(RepoCache repos, String authorName, String authorEmail) {
    this.repos = Objects.requireNonNull(repos, "repos");
    this.author = new PersonIdent(authorName, authorEmail);
  }

  /** How the path was put back. */
  public enum Method {
    /** The commits in between were reverted. */
    REVERTED,
    /** The good commit's files were written under the path (a revert did not apply). */
    GOOD_FILES,
    /** The branch already holds the good files under the path: nothing was committed. */
    NOTHING_TO_DO
  }

  /**
   * What was done.
   *
   * @param method how
   * @param commit the commit pushed, for {@link Method#REVERTED} and {@link Method#GOOD_FILES}
   * @param reverted the commits reverted (newest first), for {@link Method#REVERTED}
   * @param message one sentence a person can read ({@code reverted 2 commits by 1a2b3c4d5e6f})
   * @param attempts pushes it took
   */
  public record Result(
      Method method, Optional<String> commit, List<String> reverted, String message, int attempts) {
    public Result {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(commit, "commit");
      reverted = List.copyOf(reverted);
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Commits to {@code branch} of {@code url} what puts {@code path} back to {@code good}, undoing
   * {@code bad}, and pushes it.
   *
   * @param path the path in the repository ({@code environments/prod}; empty or {@code .} for all)
   * @param why the body of the commit message (which application, what went wrong)
   * @throws TagflowException (INVALID_INPUT) when the branch or a commit is unknown; (FAILED) when
   *     the repository cannot be reached, the push is refused, or the branch kept moving
   */
  public Result revert(
      String url, String branch, String path, String good, String bad, String subject, String why) {
    String dir = normalize(path);
    ReentrantLock lock = locks.computeIfAbsent(UrlRedaction.redact(url), u -> new ReentrantLock());
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        repos.fetch(url);
        Repository repository = repos.repository(url);
        Attempt made = commit(repository, branch, dir, good, bad, subject, why);
        if (made.commit().isEmpty()) {
          return new Result(made.method(), Optional.empty(), List.of(), made.message(), attempt);
        }
        String pushed = made.commit().get();
        if (push(url, repository, branch, pushed)) {
          repos.fetch(url);
          log.info(
              "repository={} branch={} path={} {} ({} attempt(s))",
              UrlRedaction.redact(url),
              branch,
              dir.isEmpty() ? "." : dir,
              made.message(),
              attempt);
          return new Result(made.method(), made.commit(), made.reverted(), made.message(), attempt);
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw TagflowException.failed(
              "the push to "
                  + branch
                  + " of "
                  + UrlRedaction.redact(url)
                  + " was refused "
                  + attempt
                  + " times because the branch kept moving; revert "
                  + short12(bad)
                  + " under "
                  + (dir.isEmpty() ? "." : dir)
                  + " by hand");
        }
        log.info(
            "repository={} branch={} moved while Tagflow pushed its revert; fetching and trying"
                + " again ({}/{})",
            UrlRedaction.redact(url),
            branch,
            attempt,
            MAX_ATTEMPTS);
      }
    } finally {
      lock.unlock();
    }
  }

  /** What one attempt made: a commit not yet pushed, or a reason not to commit. */
  private record Attempt(
      Method method, Optional<String> commit, List<String> reverted, String message) {}

  private Attempt commit(
      Repository repository,
      String branch,
      String dir,
      String good,
      String bad,
      String subject,
      String why) {
    try (RevWalk walk = new RevWalk(repository);
        ObjectInserter inserter = repository.newObjectInserter()) {
      ObjectId headId = repository.resolve(Constants.R_HEADS + branch);
      if (headId == null) {
        throw TagflowException.invalidInput(
            "branch '"
                + branch
                + "' is not in the repository; Tagflow can only revert on a branch");
      }
      RevCommit head = walk.parseCommit(headId);
      RevCommit goodCommit = parse(walk, repository, good);
      RevCommit badCommit = parse(walk, repository, bad);
      List<RevCommit> between = changes(repository, goodCommit, badCommit, dir);
      Optional<String> cannotRevert =
          whyNotRevert(repository, walk, between, dir, goodCommit, badCommit);
      ObjectId tree = null;
      Method method = Method.REVERTED;
      if (cannotRevert.isEmpty()) {
        tree = revertAll(repository, walk, inserter, head, between);
      }
      String fallback = cannotRevert.orElse("a revert did not apply cleanly");
      if (tree == null) {
        method = Method.GOOD_FILES;
        tree = goodFiles(repository, inserter, head, goodCommit, dir);
      }
      if (tree.equals(head.getTree())) {
        return new Attempt(
            Method.NOTHING_TO_DO,
            Optional.empty(),
            List.of(),
            branch + " already holds the files of " + short12(good) + " under " + shown(dir));
      }
      StringBuilder message = new StringBuilder(subject).append("\n\n").append(why).append("\n");
      List<String> reverted = new ArrayList<>();
      if (method == Method.REVERTED) {
        for (RevCommit c : between) {
          reverted.add(c.name());
          message.append("\nThis reverts commit ").append(c.name()).append('.');
        }
      } else {
        message
            .append("\nWrites the files of ")
            .append(good)
            .append(" under ")
            .append(shown(dir))
            .append(" (")
            .append(fallback)
            .append(").");
      }
      message.append('\n');
      CommitBuilder builder = new CommitBuilder();
      builder.setTreeId(tree);
      builder.setParentId(head);
      PersonIdent now = new PersonIdent(author, Instant.now());
      builder.setAuthor(now);
      builder.setCommitter(now);
      builder.setMessage(message.toString());
      ObjectId commit = inserter.insert(builder);
      inserter.flush();
      String done =
          method == Method.REVERTED
              ? "reverted " + reverted.size() + " commit(s) by " + short12(commit.name())
              : "wrote the files of "
                  + short12(good)
                  + " under "
                  + shown(dir)
                  + " by "
                  + short12(commit.name())
                  + " ("
                  + fallback
                  + ")";
      return new Attempt(method, Optional.of(commit.name()), reverted, done);
    } catch (IOException e) {
      throw TagflowException.failed(
          "cannot write the revert in the mirror of the repository: " + e.getMessage(), e);
    }
  }

  private static RevCommit parse(RevWalk walk, Repository repository, String commit)
      throws IOException {
    ObjectId id = ObjectId.isId(commit) ? ObjectId.fromString(commit) : null;
    if (id == null || !repository.getObjectDatabase().has(id)) {
      throw TagflowException.invalidInput(
          "commit " + commit + " is not in the repository (was the branch rewritten?)");
    }
    return walk.parseCommit(id);
  }

  /** The commits after {@code since} up to {@code until} that changed the path, newest first. */
  private static List<RevCommit> changes(
      Repository repository, RevCommit since, RevCommit until, String dir) throws IOException {
    List<RevCommit> found = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repository)) {
      walk.markStart(walk.parseCommit(until));
      walk.markUninteresting(walk.parseCommit(since));
      walk.setRevFilter(RevFilter.ALL);
      for (RevCommit c : walk) {
        if (touches(repository, c, dir, false)) {
          found.add(c);
        }
      }
    }
    return found;
  }

  /** Why the commits cannot simply be reverted, if they cannot. */
  private static Optional<String> whyNotRevert(
      Repository repository,
      RevWalk walk,
      List<RevCommit> commits,
      String dir,
      RevCommit good,
      RevCommit bad)
      throws IOException {
    if (!walk.isMergedInto(good, bad)) {
      return Optional.of(short12(good.name()) + " is not an ancestor of the bad commit");
    }
    for (RevCommit c : commits) {
      if (c.getParentCount() != 1) {
        return Optional.of(short12(c.name()) + " is a merge");
      }
      if (!dir.isEmpty() && touches(repository, c, dir, true)) {
        // Reverting it whole would undo what it did for other applications too.
        return Optional.of(short12(c.name()) + " also changes files outside " + dir);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the commit changed a file under the path ({@code outside} false), or one outside it
   * ({@code outside} true), compared with its first parent.
   */
  private static boolean touches(Repository repository, RevCommit c, String dir, boolean outside)
      throws IOException {
    try (TreeWalk tree = new TreeWalk(repository);
        RevWalk walk = new RevWalk(repository)) {
      tree.setRecursive(true);
      tree.setFilter(TreeFilter.ANY_DIFF);
      if (c.getParentCount() > 0) {
        tree.addTree(walk.parseCommit(c.getParent(0)).getTree());
      } else {
        tree.addTree(new EmptyTreeIterator());
      }
      tree.addTree(c.getTree());
      while (tree.next()) {
        if (under(tree.getPathString(), dir) != outside) {
          return true;
        }
      }
      return false;
    }
  }

  /** Reverts each commit on top of the last result; the final tree, or null on a conflict. */
  private ObjectId revertAll(
      Repository repository,
      RevWalk walk,
      ObjectInserter inserter,
      RevCommit head,
      List<RevCommit> commits)
      throws IOException {
    RevCommit current = head;
    for (RevCommit c : commits) {
      ResolveMerger merger = (ResolveMerger) MergeStrategy.RESOLVE.newMerger(repository, true);
      merger.setBase(c.getTree());
      if (!merger.merge(current, walk.parseCommit(c.getParent(0)))) {
        return null;
      }
      CommitBuilder step = new CommitBuilder();
      step.setTreeId(merger.getResultTreeId());
      step.setParentId(current);
      step.setAuthor(author);
      step.setCommitter(step.getAuthor());
      step.setMessage("revert " + c.name());
      ObjectId id = inserter.insert(step);
      inserter.flush();
      current = walk.parseCommit(id);
    }
    return current.getTree();
  }

  /** The head's tree with the path's files replaced by the good commit's. */
  private static ObjectId goodFiles(
      Repository repository, ObjectInserter inserter, RevCommit head, RevCommit good, String dir)
      throws IOException {
    DirCache index = DirCache.newInCore();
    DirCacheBuilder builder = index.builder();
    try (ObjectReader reader = repository.newObjectReader();
        TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(head.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        if (under(walk.getPathString(), dir)) {
          continue;
        }
        DirCacheEntry entry = new DirCacheEntry(walk.getPathString());
        entry.setFileMode(walk.getFileMode(0));
        entry.setObjectId(walk.getObjectId(0));
        builder.add(entry);
      }
      if (dir.isEmpty()) {
        builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, good.getTree());
      } else {
        try (TreeWalk goodPath = TreeWalk.forPath(reader, dir, good.getTree())) {
          if (goodPath != null && goodPath.getFileMode(0) == FileMode.TREE) {
            builder.addTree(
                dir.getBytes(StandardCharsets.UTF_8),
                DirCacheEntry.STAGE_0,
                reader,
                goodPath.getObjectId(0));
          } else if (goodPath != null) {
            DirCacheEntry entry = new DirCacheEntry(dir);
            entry.setFileMode(goodPath.getFileMode(0));
            entry.setObjectId(goodPath.getObjectId(0));
            builder.add(entry);
          }
        }
      }
      builder.finish();
      ObjectId tree = index.writeTree(inserter);
      inserter.flush();
      return tree;
    }
  }

  /** Pushes the commit to the branch; false when the branch moved meanwhile. */
  private boolean push(String url, Repository repository, String branch, String commit) {
    PushCommand push =
        Git.wrap(repository)
            .push()
            .setRemote(UrlRedaction.redact(url))
            .setRefSpecs(new RefSpec(commit + ":" + Constants.R_HEADS + branch));
    repos.remotes().configure(push, url);
    try {
      for (PushResult result : push.call()) {
        RemoteRefUpdate update = result.getRemoteUpdate(Constants.R_HEADS + branch);
        if (update == null) {
          continue;
        }
        switch (update.getStatus()) {
          case OK, UP_TO_DATE -> {
            return true;
          }
          case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
            return false;
          }
          default ->
              throw TagflowException.failed(
                  "the push of Tagflow's revert to "
                      + branch
                      + " of "
                      + UrlRedaction.redact(url)
                      + " was refused ("
                      + update.getStatus()
                      + (update.getMessage() == null
                          ? ""
                          : ": " + UrlRedaction.redact(update.getMessage()))
                      + "); check that its credentials may push to "
                      + branch);
        }
      }
      throw TagflowException.failed(
          "the push to " + UrlRedaction.redact(url) + " answered nothing about " + branch);
    } catch (GitAPIException | RuntimeException e) {
      throw repos.remotes().unreachable(url, e);
    }
  }

  private static boolean under(String file, String dir) {
    return dir.isEmpty() || file.equals(dir) || file.startsWith(dir + "/");
  }

  private static String normalize(String path) {
    String p = path == null ? "" : path.strip();
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.equals(".") ? "" : p;
  }

  private static String shown(String dir) {
    return dir.isEmpty() ? "the repository's root" : dir;
  }

  private static String short12(String commit) {
    return commit.substring(0, Math.min(12, commit.length()));
  }
}
