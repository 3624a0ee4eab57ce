package dev.tagflow.pipeline.action;

import dev.tagflow.DirectoryRemoval;
import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.Revision;
import dev.tagflow.source.TreeEntry;
import dev.tagflow.source.TreeReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches remote actions ({@code owner/repo[/path]@ref}) from a base URL and keeps their files by
 * commit under {@code <data>/actions}: {@code <base>/<owner>/<repo>.git} is mirrored, the ref
 * resolved to a commit, and the action's directory at that commit written once.
 *
 * <pre>{@code
 * ActionSource actions = new ActionSource(dataDir, "https://github.com", remoteAccess);
 * FetchedAction a = actions.fetch("octo", "hello", "", "v1");   // a.directory()/action.yml
 * }</pre>
 */
public final class ActionSource implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ActionSource.class);

  /** GitHub's. */
  public static final String DEFAULT_BASE = "https://github.com";

  /** An action with more files than this is refused: it is read whole for every new commit. */
  static final int MAX_FILES = 20_000;

  /** An action bigger than this (all files) is refused; bundled JavaScript actions are far less. */
  static final long MAX_BYTES = 256L * 1024 * 1024;

  /** Directories being written; one older than {@link #ABANDONED} was left by a killed process. */
  static final String TEMP_PREFIX = ".tmp-";

  static final java.time.Duration ABANDONED = java.time.Duration.ofHours(1);

  /** GitHub's names of owners and repositories. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  /** Branch, tag or commit: Git's ref names, never an option, no "..". */
  private static final Pattern REF = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./+-]{0,254}");

  private final String base;
  private final Path cache;
  private final RepoCache mirrors;

  /**
   * @param dataDirectory Tagflow's data directory; actions go to its {@code actions} directory
   * @param base where repositories are: {@code <base>/<owner>/<repo>.git} ({@code
   *     https://github.com}, {@code file:///srv/actions}), or a URL with {@code {owner}} and {@code
   *     {repo}} in it ({@code http://127.0.0.1:7070/git/{owner}-{repo}.git})
   * @param remotes the credentials and timeout applied to every fetch
   */
  public ActionSource(Path dataDirectory, String base, RemoteAccess remotes) {
    this(dataDirectory, base, remotes, new SimpleMeterRegistry());
  }

  public ActionSource(Path dataDirectory, String base, RemoteAccess remotes, MeterRegistry meters) {
    Objects.requireNonNull(base, "base");
    if (base.isBlank()) {
      throw TagflowException.invalidInput(
          "the actions source is empty; give a base URL such as " + DEFAULT_BASE);
    }
    this.base = base.replaceAll("/+$", "");
    Path actions = dataDirectory.toAbsolutePath().resolve("actions");
    this.cache = actions.resolve("cache");
    this.mirrors = new RepoCache(actions.resolve("mirrors"), remotes, meters, Clock.systemUTC());
  }

  /** The base URL without credentials, for messages. */
  public String base() {
    return UrlRedaction.redact(base);
  }

  /**
   * The URL of an action's repository: {@code <base>/<owner>/<repo>.git}, or the base with {@code
   * {owner}} and {@code {repo}} replaced when it holds them (a Git server with flat names, such as
   * Tagflow's own: {@code http://127.0.0.1:7070/git/{owner}-{repo}.git}).
   */
  String url(String owner, String repo) {
    if (base.contains("{repo}")) {
      return base.replace("{owner}", owner).replace("{repo}", repo);
    }
    return base + "/" + owner + "/" + repo + ".git";
  }

  /**
   * The files of an action: its repository fetched (or, when the source cannot be reached, the
   * mirror as last fetched), {@code ref} resolved to a commit, and its directory at that commit.
   *
   * @param path the action's directory in the repository, {@code ""} for the root
   * @throws TagflowException (INVALID_INPUT) for a bad name or ref, a repository or ref that does
   *     not exist, a directory that is not in the repository, a link out of it, or an action too
   *     big; FAILED when the cache cannot be written
   */
  public FetchedAction fetch(String owner, String repo, String path, String ref) {
    String uses = owner + "/" + repo + (path.isEmpty() ? "" : "/" + path) + "@" + ref;
    check(owner, repo, path, ref, uses);
    String url = url(owner, repo);
    Optional<String> stale = Optional.empty();
    try {
      mirrors.fetch(url);
    } catch (TagflowException unreachable) {
      if (mirrors.status(url).lastFetched().isEmpty()) {
        throw TagflowException.invalidInput(
            "the action "
                + uses
                + " cannot be fetched from "
                + UrlRedaction.redact(url)
                + ": "
                + UrlRedaction.redact(unreachable.getMessage())
                + "; check that the repository exists there (the actions source is "
                + base()
                + ")");
      }
      stale = Optional.of(UrlRedaction.redact(unreachable.getMessage()));
    }
    Revision revision;
    try {
      revision = mirrors.resolve(url, ref);
    } catch (TagflowException notFound) {
      throw TagflowException.invalidInput(
          "the action "
              + uses
              + ": no branch, tag or commit '"
              + ref
              + "' in "
              + UrlRedaction.redact(url)
              + " ("
              + UrlRedaction.redact(notFound.getMessage())
              + ")");
    }
    String commit = revision.commit();
    Path entry =
        cache
            .resolve(owner.toLowerCase(java.util.Locale.ROOT))
            .resolve(repo.toLowerCase(java.util.Locale.ROOT))
            .resolve(path.isEmpty() ? commit : commit + "--" + path.replace('/', '-'));
    if (!Files.isDirectory(entry)) {
      write(url, commit, path, entry, uses);
    }
    stale.ifPresent(
        why ->
            LOG.warn(
                "action {}: the source cannot be reached ({}); using {} as last fetched",
                uses,
                why,
                commit));
    return new FetchedAction(uses, commit, entry, stale);
  }

  private static void check(String owner, String repo, String path, String ref, String uses) {
    for (String name : List.of(owner, repo)) {
      if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
        throw TagflowException.invalidInput(
            "the action "
                + uses
                + ": '"
                + name
                + "' is not an owner or repository name (letters, digits, '.', '_', '-')");
      }
    }
    if (!path.isEmpty()) {
      for (String part : path.split("/", -1)) {
        if (part.isEmpty() || part.equals(".") || part.equals("..") || part.contains("\\")) {
          throw TagflowException.invalidInput(
              "the action "
                  + uses
                  + ": the path '"
                  + path
                  + "' is not a plain directory of the repository (no '.', '..' or empty parts)");
        }
      }
    }
    if (!REF.matcher(ref).matches() || ref.contains("..") || ref.endsWith(".lock")) {
      throw TagflowException.invalidInput(
          "the action "
              + uses
              + ": '"
              + ref
              + "' is not a branch, tag or commit (it starts with a letter, digit or '_' and"
              + " holds letters, digits, '.', '_', '/', '+', '-')");
    }
  }

  /**
   * Writes the action's directory at the commit into a temporary directory and renames it to {@code
   * entry}; when another run did the same meanwhile, its entry is kept and ours removed.
   */
  private void write(String url, String commit, String path, Path entry, String uses) {
    TreeReader tree;
    List<TreeEntry> files;
    try {
      tree = mirrors.tree(url, commit, path);
      files = tree.list();
    } catch (TagflowException e) {
      throw TagflowException.invalidInput(
          "the action " + uses + " at " + commit + ": " + UrlRedaction.redact(e.getMessage()));
    }
    if (files.size() > MAX_FILES) {
      throw TagflowException.invalidInput(
          "the action "
              + uses
              + " has "
              + files.size()
              + " files; Tagflow takes at most "
              + MAX_FILES
              + " per action");
    }
    Path temp = entry.resolveSibling(TEMP_PREFIX + UUID.randomUUID());
    removeAbandoned(entry.getParent());
    try {
      Files.createDirectories(temp);
      long total = 0;
      for (TreeEntry file : files) {
        if (file.kind() == TreeEntry.Kind.SUBMODULE) {
          continue; // GitHub's archives leave submodules out too.
        }
        total += tree.size(file.path());
        if (total > MAX_BYTES) {
          throw TagflowException.invalidInput(
              "the action "
                  + uses
                  + " is larger than "
                  + MAX_BYTES / (1024 * 1024)
                  + " MiB; Tagflow refuses it");
        }
        Path target = temp.resolve(file.path()).normalize();
        if (!target.startsWith(temp)) {
          throw TagflowException.invalidInput(
              "the action " + uses + " has a file leaving its directory: " + file.path());
        }
        Files.createDirectories(target.getParent());
        // Links inside the action are written as the files they lead to.
        Files.write(target, tree.read(file.path()));
        if (file.kind() == TreeEntry.Kind.EXECUTABLE) {
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
      try {
        Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("action {}: {} files at {} cached in {}", uses, files.size(), commit, entry);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException another) {
        delete(temp); // another run wrote the same entry meanwhile
      }
    } catch (IOException e) {
      delete(temp);
      if (Files.isDirectory(entry)) {
        return; // another run's rename won
      }
      throw TagflowException.failed("cannot write the action " + uses + " to " + entry, e);
    } catch (RuntimeException e) {
      delete(temp);
      throw e;
    }
  }

  /** Removes what killed processes left half written next to the entries of one repository. */
  private static void removeAbandoned(Path repository) {
    if (!Files.isDirectory(repository)) {
      return;
    }
    java.time.Instant before = java.time.Instant.now().minus(ABANDONED);
    try (Stream<Path> children = Files.list(repository)) {
      for (Path child : children.toList()) {
        if (child.getFileName().toString().startsWith(TEMP_PREFIX)
            && Files.getLastModifiedTime(child).toInstant().isBefore(before)) {
          LOG.info("removing {}, left half written by a process that stopped", child);
          delete(child);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", repository, e.toString());
    }
  }

  private static void delete(Path directory) {
    // What stays is left for the next cleaning; it is not an entry anyone reads.
    DirectoryRemoval.tryDelete(directory)
        .ifPresent(e -> LOG.warn("cannot remove {}: {}", directory, e.toString()));
  }

  @Override
  public void close() {
    mirrors.close();
  }
}
