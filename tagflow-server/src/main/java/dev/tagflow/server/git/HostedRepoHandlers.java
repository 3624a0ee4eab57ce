package dev.tagflow.server.git;

import dev.tagflow.TagflowException;
import dev.tagflow.server.ApiError;
import dev.tagflow.source.RefTracker;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

/** {@code /api/repos}: create and list the repositories of Tagflow's own Git server. */
public final class HostedRepoHandlers {

  private static final Logger log = LoggerFactory.getLogger(HostedRepoHandlers.class);

  private final HostedRepositories repositories;
  private final GitServer gitServer;
  private final RefTracker tracker;
  private final ObjectMapper json;

  public HostedRepoHandlers(
      HostedRepositories repositories, GitServer gitServer, RefTracker tracker, ObjectMapper json) {
    this.repositories = Objects.requireNonNull(repositories, "repositories");
    this.gitServer = Objects.requireNonNull(gitServer, "gitServer");
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.json = Objects.requireNonNull(json, "json");
  }

  /**
   * A hosted repository as the API shows it.
   *
   * @param name the name, without {@code .git}
   * @param url the clone URL, also the repository's key in ref events
   * @param anonymousRead whether anyone may clone and fetch it without a token
   */
  public record RepoView(String name, String url, boolean anonymousRead) {}

  /**
   * {@code POST /api/repos} with {@code {"name": …, "anonymousRead": false}}; behind the route
   * table's gate ({@code repositories/create}).
   */
  public Handler create() {
    return ctx -> {
      CreateRequest request;
      try {
        request = CreateRequest.parse(ctx.bodyAsBytes(), json);
      } catch (CreateRequest.Invalid invalid) {
        ctx.status(400).json(new ApiError("invalid_request", invalid.getMessage(), invalid.fix()));
        return;
      }
      HostedRepositories.HostedRepository created;
      try {
        created = repositories.create(request.name(), request.anonymousRead());
      } catch (TagflowException e) {
        boolean exists = HostedRepositories.validName(request.name()).isPresent();
        ctx.status(exists ? 409 : 400)
            .json(
                new ApiError(
                    exists ? "already_exists" : "invalid_name",
                    e.getMessage(),
                    exists ? "choose another name" : "use letters, digits, '.', '_' and '-'"));
        return;
      }
      String url = gitServer.repositoryUrl(created.name(), ctx.port()).toString();
      log.info(
          "hosted repository {} created at {}{}",
          url,
          created.directory(),
          request.anonymousRead() ? ", readable without a token" : "");
      // An empty baseline: the first push is reported in full.
      tracker.track(url, Map.of());
      ctx.status(201).json(new RepoView(created.name(), url, request.anonymousRead()));
    };
  }

  /**
   * {@code GET /api/repos}: the hosted repositories and their clone URLs ({@code
   * repositories/get}).
   */
  public Handler list() {
    return ctx -> {
      List<RepoView> views =
          repositories.list().stream()
              .map(
                  repo ->
                      new RepoView(
                          repo.name(),
                          gitServer.repositoryUrl(repo.name(), ctx.port()).toString(),
                          repositories.allowsAnonymousRead(repo.name())))
              .toList();
      ctx.json(views);
    };
  }
}
