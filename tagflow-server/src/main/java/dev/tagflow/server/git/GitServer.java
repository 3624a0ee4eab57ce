package dev.tagflow.server.git;

import dev.tagflow.server.ServerConfig;
import dev.tagflow.server.events.TriggeredRefSource;
import dev.tagflow.source.RefTracker;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tagflow's own Git server: smart HTTP at {@code /git/<name>.git} with JGit's {@link GitServlet},
 * on the same Jetty as the API. After every push that moved a ref, the repository's refs are
 * compared at once, so pushes become ref events without any poll or webhook.
 */
public final class GitServer {

  private static final Logger log = LoggerFactory.getLogger(GitServer.class);

  /** Where the servlet is mounted; repository URLs are {@code <base>/git/<name>.git}. */
  public static final String PATH = "/git";

  private final HostedRepositories repositories;
  private final AccessTokens tokens;
  private final TriggeredRefSource source;
  private final RefTracker tracker;
  private final ServerConfig config;

  public GitServer(
      HostedRepositories repositories,
      AccessTokens tokens,
      TriggeredRefSource source,
      RefTracker tracker,
      ServerConfig config) {
    this.repositories = Objects.requireNonNull(repositories, "repositories");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.source = Objects.requireNonNull(source, "source");
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Mounts the access filter and the Git servlet in Javalin's servlet context. */
  public void mount(ServletContextHandler context) {
    GitServlet servlet = new GitServlet();
    servlet.setRepositoryResolver(this::open);
    servlet.setReceivePackFactory(this::receivePack);
    context.addFilter(
        new FilterHolder(new GitAccessFilter(tokens, repositories)),
        PATH + "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder("git", servlet), PATH + "/*");
  }

  /** The URL of a hosted repository, the key under which its ref events are reported. */
  public URI repositoryUrl(String name, int boundPort) {
    return URI.create(config.baseUrl(boundPort) + PATH + "/" + name + ".git");
  }

  private Repository open(HttpServletRequest req, String name) throws RepositoryNotFoundException {
    try {
      Optional<Repository> repository = repositories.open(name);
      return repository.orElseThrow(() -> new RepositoryNotFoundException(name));
    } catch (IOException e) {
      throw new RepositoryNotFoundException(name, e);
    }
  }

  private ReceivePack receivePack(HttpServletRequest req, Repository repository) {
    // The access filter let only token holders through to anything but a read, so every push
    // reaching here is allowed.
    String name = nameOf(repository);
    URI url = repositoryUrl(name, req.getLocalPort());
    ReceivePack pack = new ReceivePack(repository);
    pack.setRefLogIdent(new PersonIdent("tagflow-git-server", "git@tagflow.invalid"));
    pack.setPostReceiveHook(
        (rp, commands) -> afterPush(url.toString(), rp.getRepository(), commands));
    return pack;
  }

  private void afterPush(String repository, Repository db, Collection<ReceiveCommand> commands) {
    List<ReceiveCommand> applied =
        commands.stream().filter(c -> c.getResult() == ReceiveCommand.Result.OK).toList();
    for (ReceiveCommand command : applied) {
      log.info(
          "git push to {}: {} {} -> {}",
          repository,
          command.getRefName(),
          command.getOldId().name(),
          command.getNewId().name());
    }
    if (applied.isEmpty()) {
      return;
    }
    if (tracker.lastSeen(repository).isEmpty()) {
      // First push since the server started (or to a repository made by 'tagflow git create'):
      // without a baseline the tracker would report nothing, so give it the refs as they were
      // just before this push.
      tracker.track(repository, refsBefore(db, applied));
    }
    source.trigger(repository);
  }

  /**
   * The branches and tags as ls-remote showed them before {@code applied}: each pushed ref is put
   * back at its old commit, or removed if the push created it. Tags are peeled to their commit, as
   * the tracker sees them.
   */
  private static Map<String, String> refsBefore(Repository db, List<ReceiveCommand> applied) {
    Map<String, String> refs = new TreeMap<>();
    try (RevWalk walk = new RevWalk(db)) {
      for (Ref ref : db.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_TAGS)) {
        peeled(walk, ref.getObjectId()).ifPresent(commit -> refs.put(ref.getName(), commit));
      }
      for (ReceiveCommand command : applied) {
        if (command.getOldId().equals(ObjectId.zeroId())) {
          refs.remove(command.getRefName());
        } else {
          Optional<String> old = peeled(walk, command.getOldId());
          if (old.isPresent()) {
            refs.put(command.getRefName(), old.get());
          }
        }
      }
    } catch (IOException e) {
      log.warn("cannot read the refs of {}: {}", db.getDirectory(), e.getMessage());
    }
    return refs;
  }

  private static Optional<String> peeled(RevWalk walk, ObjectId id) {
    try {
      return Optional.of(walk.parseCommit(id).name());
    } catch (IOException notACommit) {
      // A tag of a tree or blob: ls-remote shows it, but the tracker cannot move to it either.
      return Optional.of(id.name());
    }
  }

  private static String nameOf(Repository repository) {
    String directory = repository.getDirectory().getName();
    return directory.endsWith(".git") ? directory.substring(0, directory.length() - 4) : directory;
  }
}
