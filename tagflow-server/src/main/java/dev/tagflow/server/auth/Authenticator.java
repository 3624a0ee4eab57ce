package dev.tagflow.server.auth;

import dev.tagflow.server.git.AccessTokens;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request is: an API token ({@code Authorization: Bearer tfa_…}, or HTTP basic with the token
 * as password), a token of the Git server's token file (subject {@code git-token}), or a session
 * cookie. A header that is present but wrong is refused outright rather than treated as anonymous,
 * and every refusal says the same thing, so it does not tell an unknown token from an expired or
 * revoked one.
 */
public final class Authenticator {

  /** The longest Authorization header looked at; longer ones are refused unread. */
  static final int MAX_HEADER_CHARS = 1024;

  /** What a request is. */
  public sealed interface Outcome {
    /** No credentials at all. */
    record Anonymous() implements Outcome {}

    /**
     * Valid credentials.
     *
     * @param sessionId the cookie's session id when the session authenticated the request
     */
    record Known(Principal principal, Optional<String> sessionId) implements Outcome {}

    /** Credentials that are not valid; never said which way. */
    record Refused(String reason) implements Outcome {}
  }

  static final String INVALID =
      "the credentials are not valid: the token or session is unknown, expired or revoked";

  private final ApiTokens tokens;
  private final AccessTokens gitTokens;
  private final Sessions sessions;

  public Authenticator(ApiTokens tokens, AccessTokens gitTokens, Sessions sessions) {
    this.tokens = tokens;
    this.gitTokens = gitTokens;
    this.sessions = sessions;
  }

  public Outcome of(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null) {
      return ofHeader(header);
    }
    String cookie = ctx.cookie(Sessions.COOKIE);
    if (cookie != null && !cookie.isEmpty()) {
      Optional<Principal> principal = sessions.authenticate(cookie);
      // An ended session is as good as none: the UI sends the user to the login page.
      return principal
          .<Outcome>map(p -> new Outcome.Known(p, Optional.of(cookie)))
          .orElseGet(Outcome.Anonymous::new);
    }
    return new Outcome.Anonymous();
  }

  Outcome ofHeader(String header) {
    if (header.length() > MAX_HEADER_CHARS) {
      return new Outcome.Refused("the Authorization header is longer than " + MAX_HEADER_CHARS);
    }
    Optional<String> secret = secretOf(header);
    if (secret.isEmpty()) {
      return new Outcome.Refused(
          "the Authorization header is neither 'Bearer <token>' nor basic with the token as"
              + " password");
    }
    Optional<Principal> principal = tokens.authenticate(secret.get());
    if (principal.isEmpty() && gitTokens.accepts(secret.get())) {
      principal = Optional.of(new Principal("git-token", Set.of("git-token"), Optional.empty()));
    }
    return principal
        .<Outcome>map(p -> new Outcome.Known(p, Optional.empty()))
        .orElseGet(() -> new Outcome.Refused(INVALID));
  }

  private static Optional<String> secretOf(String header) {
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(header.substring(7).strip()).filter(s -> !s.isEmpty());
    }
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair =
            new String(
                Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon < 0
            ? Optional.empty()
            : Optional.of(pair.substring(colon + 1)).filter(s -> !s.isEmpty());
      } catch (IllegalArgumentException notBase64) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
