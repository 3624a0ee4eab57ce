package dev.tagflow.server.git;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use {@code /git/*}: every request needs a token (HTTP basic, token as password, or
 * bearer), except a clone or fetch of a repository whose owner turned anonymous read on. Where the
 * request comes from grants nothing: behind a reverse proxy on the same host every client is local.
 *
 * <p>The decision is taken on {@link GitRequest}, the same decoded request JGit serves, and only
 * the exact clone and fetch routes count as reads; anything else needs a token. Refusals are
 * answered before JGit sees the request, so a refused push changes nothing. The answer carries a
 * basic-auth challenge because {@code git} sends the credentials of a URL only after one.
 */
public final class GitAccessFilter extends HttpFilter {

  private static final Logger log = LoggerFactory.getLogger(GitAccessFilter.class);

  private final AccessTokens tokens;
  private final HostedRepositories repositories;

  public GitAccessFilter(AccessTokens tokens, HostedRepositories repositories) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.repositories = Objects.requireNonNull(repositories, "repositories");
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    GitRequest request = GitRequest.of(req);
    String authorization = req.getHeader("Authorization");
    if (tokens.acceptsAuthorization(authorization) || anonymousReadAllowed(request)) {
      chain.doFilter(req, res);
      return;
    }
    if (authorization != null) {
      log.warn(
          "git {} of {} refused from {}: wrong token",
          request.isRead() ? "fetch" : "push",
          req.getRequestURI(),
          req.getRemoteAddr());
    }
    res.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    res.setHeader("WWW-Authenticate", "Basic realm=\"Tagflow Git\", charset=\"UTF-8\"");
    res.setContentType("text/plain; charset=utf-8");
    String what = request.isRead() ? "Fetching from this repository" : "Pushing";
    res.getOutputStream()
        .write(
            (what
                    + " needs a token: use http://<any-user>:<token>@host/git/<name>.git or a"
                    + " credential helper, with a token from the server's git-tokens file.\n")
                .getBytes(StandardCharsets.UTF_8));
  }

  private boolean anonymousReadAllowed(GitRequest request) {
    return request.isRead()
        && request.repository().map(repositories::allowsAnonymousRead).orElse(false);
  }
}
