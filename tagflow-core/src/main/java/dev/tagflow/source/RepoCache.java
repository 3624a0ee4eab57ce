package dev.tagflow.source;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tagflow's copy of every repository it reads: one bare mirror per URL under a directory, fetched
 * on demand (the first read, or a revision the mirror does not know yet) and whenever a poll or a
 * webhook sees refs move.
 *
 * <p>Readers never see a half-updated mirror. A fetch writes all new objects before it moves any
 * ref, each ref moves atomically (a lock file renamed over the old one), and nothing is ever
 * deleted from the object database while Tagflow runs (no gc). A reader resolves a revision to a
 * commit id once and then reads only by object id, so whatever commit it got, it reads that whole
 * commit, even while a fetch moves the refs under it. Fetches of one repository run one at a time;
 * fetches of different repositories run in parallel.
 *
 * <p>A mirror belongs to a URL without its credentials ({@link UrlRedaction}): its folder name, its
 * {@code config} and its {@code FETCH_HEAD} hold no secret, and URLs differing only in credentials
 * share one mirror.
 */
public final class RepoCache implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RepoCache.class);
  private static final String FETCHED_MARKER = "tagflow-last-fetch";

  private final Path directory;
  private final RemoteAccess remotes;
  private final MeterRegistry meters;
  private final Clock clock;
  private final RevisionResolver resolver = new RevisionResolver();
  private final Map<String, Mirror> mirrors = new ConcurrentHashMap<>();

  /**
   * @param directory where the mirrors live, one folder each (e.g. {@code ~/.tagflow/repos})
   */
  public RepoCache(Path directory, RemoteAccess remotes, MeterRegistry meters, Clock clock) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
    this.remotes = Objects.requireNonNull(remotes, "remotes");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Brings the mirror up to date with the remote: new and moved branches and tags, deleted ones
   * removed.
   *
   * @throws TagflowException (FAILED) when the remote cannot be reached; the mirror keeps what it
   *     had, and {@link #status} reports the error
   */
  public RepoStatus fetch(String url) {
    Mirror mirror = mirror(url);
    mirror.fetchLock.lock();
    Instant started = clock.instant();
    Timer.Sample sample = Timer.start(meters);
    try {
      FetchCommand fetch =
          Git.wrap(mirror.repository)
              .fetch()
              .setRemote(UrlRedaction.redact(url))
              .setRefSpecs(
                  new RefSpec("+refs/heads/*:refs/heads/*"),
                  new RefSpec("+refs/tags/*:refs/tags/*"))
              .setRemoveDeletedRefs(true)
              .setTagOpt(TagOpt.NO_TAGS);
      remotes.configure(fetch, url);
      FetchResult result = fetch.call();
      followRemoteHead(mirror.repository, result);
      Files.writeString(mirror.directory.resolve(FETCHED_MARKER), started.toString());
      sample.stop(fetchTimer(url, "success"));
      Map<String, String> refs = refsOf(mirror.repository);
      mirror.status =
          new RepoStatus(
              mirror.url,
              mirror.directory,
              Optional.of(started),
              Optional.of(started),
              Optional.empty(),
              refs);
      log.info(
          "fetched {}: {} refs, {} updated",
          mirror.url,
          refs.size(),
          result.getTrackingRefUpdates().size());
      return mirror.status;
    } catch (Exception e) {
      sample.stop(fetchTimer(url, "failure"));
      remotes.counter("tagflow.source.fetch.failures", url).increment();
      TagflowException failure = remotes.unreachable(url, e);
      RepoStatus before = mirror.status;
      mirror.status =
          new RepoStatus(
              mirror.url,
              mirror.directory,
              before.lastFetched(),
              Optional.of(started),
              Optional.of(failure.getMessage()),
              before.refs());
      log.warn("fetch of {} failed: {}", mirror.url, failure.getMessage());
      throw TagflowException.failed(
          failure.getMessage()
              + before
                  .lastFetched()
                  .map(t -> "; keeping what was fetched at " + t)
                  .orElse("; nothing was fetched from it yet"),
          e);
    } finally {
      mirror.fetchLock.unlock();
    }
  }

  /**
   * Resolves a revision against the mirror (see {@link RevisionResolver} for the syntax), fetching
   * first when the mirror was never fetched, and once more when the revision is not known yet.
   */
  public Revision resolve(String url, String revision) {
    Mirror mirror = mirror(url);
    if (mirror.status.lastFetched().isEmpty()) {
      fetch(url);
    }
    try {
      return resolver.resolve(mirror.repository, mirror.url, revision);
    } catch (TagflowException notKnown) {
      if (notKnown.reason() != TagflowException.Reason.INVALID_INPUT) {
        throw notKnown;
      }
      // A commit or tag named in a webhook may be newer than the mirror.
      try {
        fetch(url);
      } catch (TagflowException unreachable) {
        throw TagflowException.invalidInput(
            notKnown.getMessage() + " (fetching again failed: " + unreachable.getMessage() + ")");
      }
      return resolver.resolve(mirror.repository, mirror.url, revision);
    }
  }

  /** Reads the files under a path at a resolved revision, without a checkout. */
  public TreeReader tree(String url, Revision revision, String path) {
    return tree(url, revision.commit(), path);
  }

  /** Reads the files under a path at a commit the mirror has. */
  public TreeReader tree(String url, String commit, String path) {
    Mirror mirror = mirror(url);
    return new TreeReader(mirror.repository, mirror.url, commit, path);
  }

  /** What the mirror holds and how its last fetch went; nothing is fetched. */
  public RepoStatus status(String url) {
    return mirror(url).status;
  }

  /**
   * Where the mirror of a URL lives: a readable slug of the URL plus a hash that tells URLs apart,
   * both of the URL without its credentials (a short hash of a secret would let anyone who lists
   * the folder test guesses of it).
   */
  public Path mirrorPath(String url) {
    String withoutCredentials = UrlRedaction.redact(url);
    return directory.resolve(
        slug(withoutCredentials) + "-" + hash(withoutCredentials).substring(0, 12) + ".git");
  }

  @Override
  public void close() {
    mirrors.values().forEach(m -> m.repository.close());
    mirrors.clear();
  }

  /** The mirror's repository, for writers in this package (objects only: refs are fetch's). */
  Repository repository(String url) {
    return mirror(url).repository;
  }

  /** How the mirror reaches its remote: for writers in this package that push. */
  RemoteAccess remotes() {
    return remotes;
  }

  private Mirror mirror(String url) {
    return mirrors.computeIfAbsent(UrlRedaction.redact(url), this::open);
  }

  /** Opens, or creates, the mirror of a URL without credentials. */
  private Mirror open(String url) {
    Path path = mirrorPath(url);
    try {
      if (!Files.isDirectory(path)) {
        create(path, url);
      }
      Repository repository =
          new FileRepositoryBuilder().setGitDir(path.toFile()).setMustExist(true).build();
      Path marker = path.resolve(FETCHED_MARKER);
      Optional<Instant> fetched =
          Files.exists(marker)
              ? Optional.of(Instant.parse(Files.readString(marker).strip()))
              : Optional.empty();
      Mirror mirror = new Mirror(url, path, repository);
      mirror.status =
          new RepoStatus(url, path, fetched, fetched, Optional.empty(), refsOf(repository));
      return mirror;
    } catch (IOException | RuntimeException e) {
      throw TagflowException.failed(
          "cannot open the mirror of " + url + " at " + path + ": " + e, e);
    }
  }

  /**
   * Creates an empty bare repository beside its final place, then moves it there in one step; the
   * URL has no credentials.
   */
  private static void create(Path path, String url) throws IOException {
    Files.createDirectories(path.getParent());
    Path temporary = path.resolveSibling(path.getFileName() + ".tmp-" + UUID.randomUUID());
    try (Repository repository =
        new FileRepositoryBuilder().setGitDir(temporary.toFile()).setBare().build()) {
      repository.create(true);
      var config = repository.getConfig();
      // For people who look inside: where this mirror comes from (credentials never go here).
      config.setString("remote", "origin", "url", UrlRedaction.redact(url));
      config.save();
    }
    try {
      Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) {
      // Another process created it first: theirs is as good as ours.
      org.eclipse.jgit.util.FileUtils.delete(
          temporary.toFile(), org.eclipse.jgit.util.FileUtils.RECURSIVE);
      if (!Files.isDirectory(path)) {
        throw raced;
      }
    }
  }

  /** Points the mirror's HEAD at the branch the remote's HEAD names, so "HEAD" means the same. */
  private static void followRemoteHead(Repository repository, FetchResult result)
      throws IOException {
    Ref head = result.getAdvertisedRef(Constants.HEAD);
    if (head == null) {
      return;
    }
    String target = null;
    if (head.isSymbolic()) {
      target = head.getTarget().getName();
    } else if (head.getObjectId() != null) {
      // Servers that do not say which branch HEAD is: pick the branch at the same commit.
      for (Ref ref : result.getAdvertisedRefs()) {
        if (ref.getName().startsWith(Constants.R_HEADS)
            && head.getObjectId().equals(ref.getObjectId())
            && (target == null || ref.getName().equals("refs/heads/main"))) {
          target = ref.getName();
        }
      }
    }
    Ref current = repository.exactRef(Constants.HEAD);
    if (target != null
        && (current == null
            || !current.isSymbolic()
            || !current.getTarget().getName().equals(target))) {
      RefUpdate update = repository.updateRef(Constants.HEAD);
      update.disableRefLog();
      update.link(target);
    }
  }

  /** The branches and tags of a repository, peeled to commits. */
  static Map<String, String> refsOf(Repository repository) throws IOException {
    Map<String, String> refs = new TreeMap<>();
    for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
      refs.put(ref.getName(), ref.getObjectId().name());
    }
    for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
      Ref peeled = repository.getRefDatabase().peel(ref);
      ObjectId id =
          peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : ref.getObjectId();
      refs.put(ref.getName(), id.name());
    }
    return refs;
  }

  private Timer fetchTimer(String url, String outcome) {
    return Timer.builder("tagflow.source.fetch")
        .description("Time to fetch a repository into its mirror")
        .tag("repository", UrlRedaction.redact(url))
        .tag("outcome", outcome)
        .register(meters);
  }

  /**
   * The last two names of the URL's path (e.g. {@code shop-web}), for people listing the folder.
   */
  static String slug(String url) {
    String path = UrlRedaction.redact(url).replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*", "");
    path = path.replaceFirst("^[^/@]+@[^:]+:", "").replaceAll("\\.git/?$", "");
    String[] parts = path.split("[/\\\\]+");
    String last =
        parts.length >= 2
            ? parts[parts.length - 2] + "-" + parts[parts.length - 1]
            : parts[parts.length - 1];
    String slug =
        last.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    if (slug.length() > 40) {
      slug = slug.substring(slug.length() - 40);
    }
    return slug.isEmpty() ? "repo" : slug;
  }

  private static String hash(String url) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * One mirror, of a URL without credentials: its repository stays open for readers; the lock
   * serializes fetches.
   */
  private static final class Mirror {
    final String url;
    final Path directory;
    final Repository repository;
    final ReentrantLock fetchLock = new ReentrantLock();
    volatile RepoStatus status;

    Mirror(String url, Path directory, Repository repository) {
      this.url = url;
      this.directory = directory;
      this.repository = repository;
    }
  }
}
