package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.yaml.YamlLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The writer's own bare copy of one environment repository: fetch, read a file at a commit, make a
 * commit that changes one file (without a working tree), push a commit to a branch. JGit is only
 * given the URL without credentials; {@link RemoteAccess} supplies them.
 */
final class EnvRepository implements AutoCloseable {

  private static final String REMOTE_PREFIX = "refs/remotes/origin/";

  private final String url;
  private final RemoteAccess remotes;
  private final YamlLimits limits;
  private final Repository repository;

  EnvRepository(Path directory, String url, RemoteAccess remotes, YamlLimits limits) {
    this.url = url;
    this.remotes = remotes;
    this.limits = limits;
    try {
      Repository opened =
          new FileRepositoryBuilder().setGitDir(directory.toFile()).setBare().build();
      if (!opened.getObjectDatabase().exists()) {
        opened.create(true);
      }
      this.repository = opened;
    } catch (IOException | IllegalStateException e) {
      throw TagflowException.failed(
          "cannot open the working copy of " + where() + " in " + directory + ": " + e.getMessage(),
          e);
    }
  }

  /** The repository's URL as messages show it. */
  String where() {
    return UrlRedaction.redact(url);
  }

  /** Brings every branch of the remote into {@code refs/remotes/origin/*}. */
  void fetch() {
    try {
      var fetch =
          Git.wrap(repository)
              .fetch()
              .setRemote(UrlRedaction.redact(url))
              .setRefSpecs(new RefSpec("+refs/heads/*:" + REMOTE_PREFIX + "*"))
              .setRemoveDeletedRefs(true)
              .setTagOpt(TagOpt.NO_TAGS);
      remotes.configure(fetch, url);
      fetch.call();
    } catch (GitAPIException | RuntimeException e) {
      throw unreachable("fetch", e);
    }
  }

  /** Where the remote's branch pointed when last fetched. */
  Optional<ObjectId> head(String branch) {
    try {
      Ref ref = repository.exactRef(REMOTE_PREFIX + branch);
      return Optional.ofNullable(ref).map(Ref::getObjectId);
    } catch (IOException e) {
      throw TagflowException.failed("cannot read branch " + branch + " of " + where(), e);
    }
  }

  /** Whether the commit is in the local copy. */
  boolean has(String commit) {
    try {
      ObjectId id = ObjectId.fromString(commit);
      return repository.getObjectDatabase().has(id);
    } catch (IllegalArgumentException | IOException notACommit) {
      return false;
    }
  }

  /** The text of a file at a commit, refused by its size before it is read; empty when absent. */
  Optional<String> read(ObjectId commit, String path) {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit parsed = walk.parseCommit(commit);
      try (TreeWalk tree = TreeWalk.forPath(repository, path, parsed.getTree())) {
        if (tree == null
            || !tree.getFileMode(0).equals(FileMode.REGULAR_FILE)
                && !tree.getFileMode(0).equals(FileMode.EXECUTABLE_FILE)) {
          return Optional.empty();
        }
        ObjectLoader blob = repository.open(tree.getObjectId(0), Constants.OBJ_BLOB);
        limits.checkSize(path, blob.getSize());
        return Optional.of(new String(blob.getBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw TagflowException.failed(
          "cannot read " + path + " at " + commit.name() + " of " + where() + ": " + e.getMessage(),
          e);
    }
  }

  /** The message of a commit. */
  String message(ObjectId commit) {
    try (RevWalk walk = new RevWalk(repository)) {
      return walk.parseCommit(commit).getFullMessage();
    } catch (IOException e) {
      throw TagflowException.failed("cannot read commit " + commit.name() + " of " + where(), e);
    }
  }

  /** The first parent of a commit, if it has one. */
  Optional<ObjectId> parent(ObjectId commit) {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit parsed = walk.parseCommit(commit);
      return parsed.getParentCount() == 0
          ? Optional.empty()
          : Optional.of(parsed.getParent(0).copy());
    } catch (IOException e) {
      throw TagflowException.failed("cannot read commit " + commit.name() + " of " + where(), e);
    }
  }

  /** A new commit on {@code parent} whose tree differs from the parent's in those files only. */
  ObjectId commit(ObjectId parent, List<FileChange> files, String message, PersonIdent who) {
    try (ObjectInserter inserter = repository.newObjectInserter();
        ObjectReader reader = repository.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      RevCommit base = walk.parseCommit(parent);
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, base.getTree());
      builder.finish();
      DirCacheEditor editor = index.editor();
      for (FileChange file : files) {
        ObjectId blob =
            inserter.insert(Constants.OBJ_BLOB, file.content().getBytes(StandardCharsets.UTF_8));
        editor.add(
            new DirCacheEditor.PathEdit(file.path()) {
              @Override
              public void apply(DirCacheEntry entry) {
                if (entry.getRawMode() == 0) {
                  entry.setFileMode(FileMode.REGULAR_FILE);
                }
                entry.setObjectId(blob);
              }
            });
      }
      editor.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      commit.setParentId(base);
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    } catch (IOException e) {
      throw TagflowException.failed("cannot write a commit in the copy of " + where(), e);
    }
  }

  /** A file's new content. */
  record FileChange(String path, String content) {}

  /** How a push ended. */
  sealed interface Pushed {}

  record Accepted() implements Pushed {}

  /** The remote refused: someone else moved the branch, or it was locked by another push. */
  record Rejected(String reason) implements Pushed {}

  /**
   * Pushes a commit to a branch of the remote; {@code force} only for Tagflow's own promotion
   * branches.
   *
   * @throws TagflowException (FAILED) when the remote cannot be reached or refuses for another
   *     reason than a race (permissions, a hook)
   */
  Pushed push(ObjectId commit, String branch, boolean force) {
    return push(new RefSpec((force ? "+" : "") + commit.name() + ":refs/heads/" + branch));
  }

  /** Deletes a branch of the remote; a failure is only logged by the caller. */
  Pushed delete(String branch) {
    return push(new RefSpec(":refs/heads/" + branch));
  }

  private Pushed push(RefSpec spec) {
    try {
      PushCommand push =
          Git.wrap(repository).push().setRemote(UrlRedaction.redact(url)).setRefSpecs(spec);
      remotes.configure(push, url);
      for (PushResult result : push.call()) {
        for (RemoteRefUpdate update : result.getRemoteUpdates()) {
          switch (update.getStatus()) {
            case OK, UP_TO_DATE, NON_EXISTING -> {}
            case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
              return new Rejected("the branch moved (" + update.getStatus() + ")");
            }
            case REJECTED_OTHER_REASON -> {
              String reason = String.valueOf(update.getMessage());
              if (reason.contains("lock")) {
                return new Rejected("the branch was being updated by another push: " + reason);
              }
              throw TagflowException.failed(
                  where() + " refused the push to " + update.getRemoteName() + ": " + reason);
            }
            default ->
                throw TagflowException.failed(
                    where()
                        + " refused the push to "
                        + update.getRemoteName()
                        + ": "
                        + update.getStatus()
                        + (update.getMessage() == null ? "" : " " + update.getMessage()));
          }
        }
      }
      return new Accepted();
    } catch (GitAPIException | RuntimeException e) {
      if (e instanceof TagflowException failure) {
        throw failure;
      }
      throw unreachable("push to", e);
    }
  }

  private TagflowException unreachable(String what, Exception cause) {
    String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return TagflowException.failed(
        "cannot " + what + " " + where() + ": " + UrlRedaction.redact(reason), cause);
  }

  @Override
  public void close() {
    repository.close();
  }
}
