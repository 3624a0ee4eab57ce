package dev.tagflow.server.git;

import dev.tagflow.TagflowException;
import dev.tagflow.server.ApiError;
import dev.tagflow.source.RefTracker;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api/repos}: create and list the repositories of Tagflow's own Git server. */
public final class HostedRepoHandlers {

  private static final Logger log = LoggerFactory.getLogger(HostedRepoHandlers.class);

  private final HostedRepositories repositories;
  private final GitServer gitServer;
  private final AccessTokens tokens;
  private final RefTracker tracker;

  public HostedRepoHandlers(
      HostedRepositories repositories,
      GitServer gitServer,
      AccessTokens tokens,
      RefTracker tracker) {
    this.repositories = Objects.requireNonNull(repositories, "repositories");
    this.gitServer = Objects.requireNonNull(gitServer, "gitServer");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.tracker = Objects.requireNonNull(tracker, "tracker");
  }

  /**
   * A hosted repository as the API shows it.
   *
   * @param name the name, without {@code .git}
   * @param url the clone URL, also the repository's key in ref events
   */
  public record RepoView(String name, String url) {}

  /** The body of {@code POST /api/repos}. */
  public record CreateRepo(String name) {}

  /** {@code POST /api/repos} with {@code {"name": …}}; needs a token, like a push. */
  public Handler create() {
    return ctx -> {
      if (!tokens.acceptsAuthorization(ctx.header("Authorization"))) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"Tagflow\"");
        ctx.status(401)
            .json(
                new ApiError(
                    "unauthorized",
                    "creating a repository needs a token",
                    "send 'Authorization: Bearer <token>' with a token from the git-tokens file"));
        return;
      }
      Optional<String> name = requestedName(ctx);
      if (name.isEmpty()) {
        ctx.status(400)
            .json(
                new ApiError(
                    "invalid_request",
                    "the body must be JSON with a 'name' field",
                    "send {\"name\": \"environments\"}"));
        return;
      }
      HostedRepositories.HostedRepository created;
      try {
        created = repositories.create(name.get());
      } catch (TagflowException e) {
        boolean exists = HostedRepositories.validName(name.get()).isPresent();
        ctx.status(exists ? 409 : 400)
            .json(
                new ApiError(
                    exists ? "already_exists" : "invalid_name",
                    e.getMessage(),
                    exists ? "choose another name" : "use letters, digits, '.', '_' and '-'"));
        return;
      }
      String url = gitServer.repositoryUrl(created.name(), ctx.port()).toString();
      log.info("hosted repository {} created at {}", url, created.directory());
      // An empty baseline: the first push is reported in full.
      tracker.track(url, Map.of());
      ctx.status(201).json(new RepoView(created.name(), url));
    };
  }

  /** {@code GET /api/repos}: the hosted repositories and their clone URLs. */
  public Handler list() {
    return ctx -> {
      List<RepoView> views =
          repositories.list().stream()
              .map(
                  repo ->
                      new RepoView(
                          repo.name(), gitServer.repositoryUrl(repo.name(), ctx.port()).toString()))
              .toList();
      ctx.json(views);
    };
  }

  private static Optional<String> requestedName(Context ctx) {
    try {
      CreateRepo body = ctx.bodyAsClass(CreateRepo.class);
      return Optional.ofNullable(body).map(CreateRepo::name).filter(n -> !n.isBlank());
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
  }
}
