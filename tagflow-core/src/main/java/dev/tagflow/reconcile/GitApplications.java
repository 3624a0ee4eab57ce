package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.source.RefChanged;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.Revision;
import dev.tagflow.source.TreeEntry;
import dev.tagflow.source.TreeReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of Application files in Git (app of apps) as a source of the {@link
 * ApplicationRegistry}: every {@code *.yaml} and {@code *.yml} file under the path, at any depth,
 * ours and Argo CD's, several per file. Read at the revision's commit when asked ({@link #load}),
 * and again when a ref of the repository moves ({@link #onRefChanged}, fed by the same webhooks,
 * Git server and poller as the applications' own sources); a commit that changes nothing under the
 * path (the same tree id) costs no read.
 *
 * <p>A commit that adds a file adds its applications, one that removes it removes them (pruning
 * their objects when their policy prunes; the registry's breaker holds a mass removal). A file that
 * does not load is a problem of that file alone, each mistake at its {@code path:line:column}: the
 * applications it held keep running as last read, every other file's are untouched. A revision that
 * does not resolve changes nothing; a folder missing at the commit is an empty one, which the
 * registry's breaker holds like any removal of more than one application.
 */
public final class GitApplications {

  private static final Logger log = LoggerFactory.getLogger(GitApplications.class);

  /**
   * Where the files are.
   *
   * @param repository the repository's name, for messages and the source's name
   * @param url its URL (never with credentials; those are the mirror's business)
   * @param revision a branch, tag, commit or semver range
   * @param path the folder, relative to the repository's root
   */
  public record Location(String repository, String url, String revision, String path) {
    public Location {
      Objects.requireNonNull(repository, "repository");
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(revision, "revision");
      Objects.requireNonNull(path, "path");
    }

    /** The source's name in the registry: {@code git:<repository>/<path>@<revision>}. */
    public String source() {
      return "git:" + repository + "/" + path + "@" + revision;
    }
  }

  private final Location location;
  private final RepoCache repos;
  private final ApplicationRegistry registry;
  private final ApplicationLoader loader;
  private final LastRead lastRead;
  private Optional<String> lastTree = Optional.empty();

  public GitApplications(
      Location location, RepoCache repos, ApplicationRegistry registry, ApplicationLoader loader) {
    this.location = location;
    this.repos = repos;
    this.registry = registry;
    this.loader = loader;
    this.lastRead = new LastRead(location.source());
  }

  public Location location() {
    return location;
  }

  public String source() {
    return location.source();
  }

  /** A ref of the repository moved: the folder is read again. */
  public void onRefChanged(RefChanged change) {
    if (Triggers.key(change.repository()).equals(Triggers.key(location.url()))) {
      load();
    }
  }

  /**
   * Reads the folder at the revision's commit (the mirror as the Git events left it) and hands its
   * applications to the registry.
   */
  public synchronized void load() {
    Revision revision;
    try {
      revision = repos.resolve(location.url(), location.revision());
    } catch (TagflowException e) {
      keep(
          "cannot resolve "
              + location.revision()
              + " of "
              + location.repository()
              + ": "
              + e.getMessage()
              + "; the applications read before keep running");
      return;
    }
    List<TreeEntry> entries = List.of();
    Optional<TreeReader> tree;
    Optional<String> missing = Optional.empty();
    String treeId;
    try {
      tree = Optional.of(repos.tree(location.url(), revision, location.path()));
      treeId = tree.get().treeId();
    } catch (TagflowException e) {
      if (e.reason() != TagflowException.Reason.INVALID_INPUT) {
        keep("cannot read " + location.path() + ": " + e.getMessage());
        return;
      }
      // The folder is gone at this commit: as empty as a folder whose files were all deleted,
      // which the registry's breaker holds when it would remove more than one application.
      tree = Optional.empty();
      treeId = "missing";
      missing = Optional.of(e.getMessage());
    }
    if (lastTree.filter(treeId::equals).isPresent()) {
      return; // a commit elsewhere in the repository
    }
    missing.ifPresent(
        m ->
            lastRead.problem(
                where(), m + " (at " + revision.shortCommit() + "); it holds no applications"));
    if (tree.isPresent()) {
      try {
        entries = tree.get().list();
      } catch (TagflowException e) {
        // A link leading out of the folder, or a read that failed: not an empty folder.
        keep("cannot list " + location.path() + ": " + e.getMessage());
        return;
      }
    }
    for (TreeEntry entry : entries) {
      if (!isApplicationFile(entry)) {
        continue;
      }
      TreeReader folder = tree.orElseThrow();
      String file = (folder.path().isEmpty() ? "" : folder.path() + "/") + entry.path();
      try {
        loader.limits().checkSize(file, folder.size(entry.path()));
        String text = new String(folder.read(entry.path()), StandardCharsets.UTF_8);
        lastRead.loaded(file, loader.load(file, text));
      } catch (TagflowException e) {
        lastRead.failed(file, location.repository() + ":" + file, e.getMessage());
        log.warn(
            "source={} revision={} application file {} does not load: {}",
            source(),
            revision.shortCommit(),
            file,
            e.getMessage());
      }
    }
    lastTree = lastRead.hasProblems() ? Optional.empty() : Optional.of(treeId);
    log.info(
        "source={} revision={} read {} Application files",
        source(),
        revision.shortCommit(),
        entries.stream().filter(GitApplications::isApplicationFile).count());
    lastRead.finish(registry);
  }

  /** The folder cannot be read: what was read before stays registered, with the problem. */
  private void keep(String message) {
    log.warn("source={} {}", source(), message);
    lastRead.keep(registry, where(), message);
    lastTree = Optional.empty();
  }

  private String where() {
    return location.repository() + ":" + location.path();
  }

  private static boolean isApplicationFile(TreeEntry entry) {
    if (entry.kind() == TreeEntry.Kind.SUBMODULE) {
      return false;
    }
    String path = entry.path();
    for (String part : path.split("/")) {
      if (part.startsWith(".")) {
        return false; // .github/, .helmignore, hidden files: not Applications
      }
    }
    return path.endsWith(".yaml") || path.endsWith(".yml");
  }
}
