package dev.tagflow.server.git;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use {@code /git/*}: pushing needs a token (HTTP basic, token as password); cloning and
 * fetching need one too, except from this machine, so a single machine works without setup.
 *
 * <p>Refusals are answered before JGit sees the request, so a refused push changes nothing. The
 * answer carries a basic-auth challenge because {@code git} sends the credentials of a URL only
 * after one.
 */
public final class GitAccessFilter extends HttpFilter {

  private static final Logger log = LoggerFactory.getLogger(GitAccessFilter.class);

  private final AccessTokens tokens;

  public GitAccessFilter(AccessTokens tokens) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    boolean push = isPush(req);
    boolean authorized = tokens.acceptsAuthorization(req.getHeader("Authorization"));
    if (authorized || (!push && fromThisMachine(req))) {
      chain.doFilter(req, res);
      return;
    }
    boolean credentialsGiven = req.getHeader("Authorization") != null;
    if (credentialsGiven) {
      log.warn(
          "git {} of {} refused from {}: wrong token",
          push ? "push" : "fetch",
          req.getRequestURI(),
          req.getRemoteAddr());
    }
    res.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    res.setHeader("WWW-Authenticate", "Basic realm=\"Tagflow Git\", charset=\"UTF-8\"");
    res.setContentType("text/plain; charset=utf-8");
    String what = push ? "Pushing" : "Fetching from another machine";
    res.getOutputStream()
        .write(
            (what
                    + " needs a token: use http://<any-user>:<token>@host/git/<name>.git or a"
                    + " credential helper, with a token from the server's git-tokens file.\n")
                .getBytes(StandardCharsets.UTF_8));
  }

  /** A push starts with the receive-pack advertisement and ends with the receive-pack POST. */
  static boolean isPush(HttpServletRequest req) {
    String uri = req.getRequestURI();
    if (uri.endsWith("/git-receive-pack")) {
      return true;
    }
    String query = req.getQueryString();
    return uri.endsWith("/info/refs")
        && query != null
        && query.contains("service=git-receive-pack");
  }

  /**
   * Loopback, or the server's own address: the server's ls-remote of its own repositories comes
   * from there when it is bound to a LAN address.
   */
  private static boolean fromThisMachine(HttpServletRequest req) {
    String remote = req.getRemoteAddr();
    return isLoopback(remote) || (remote != null && remote.equals(req.getLocalAddr()));
  }

  private static boolean isLoopback(String address) {
    try {
      // The remote address is always a literal, for which getByName does no name lookup.
      return address != null && InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException notLiteral) {
      return false;
    }
  }
}
