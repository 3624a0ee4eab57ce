package dev.tagflow.server.api;

import dev.tagflow.server.ApiError;
import dev.tagflow.server.auth.AccessControl;
import dev.tagflow.server.auth.Principal;
import dev.tagflow.server.auth.Sessions;
import dev.tagflow.store.AuditEntry;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code /api/v1/session}: log in with a user and password or an API token (POST), see who one is
 * (GET), log out (DELETE). Logins are throttled per user and per address and audited, success or
 * not; no password or token is ever logged.
 */
public final class SessionRoutes {

  private static final Logger log = LoggerFactory.getLogger(SessionRoutes.class);

  public static final String PATH = "/api/v1/session";

  /** The largest login body read. */
  static final int MAX_BODY = 8 * 1024;

  private final AccessControl access;
  private final ObjectMapper json;

  public SessionRoutes(AccessControl access, ObjectMapper json) {
    this.access = access;
    this.json = json;
  }

  /** Adds the three routes to {@code table}. */
  public void addTo(RouteTable table) {
    table.post(
        PATH,
        new Access.Public(
            "the login itself: no principal yet; throttled per user and address, audited"),
        this::login);
    table.get(PATH, new Access.SignedIn("anyone signed in may see who they are"), this::whoAmI);
    table.delete(PATH, new Access.SignedIn("anyone signed in may log out"), this::logout);
  }

  /** Describes the three routes in {@code docs}. */
  public void describeIn(OpenApiDocument docs) {
    docs.describe(
        "POST " + PATH,
        OpenApiDocument.Operation.of(
                "Log in with a user and password, or a token; sets the session cookie",
                ApiSchemas.object(
                    ApiSchemas.props(
                        "user", ApiSchemas.STRING,
                        "csrfToken", ApiSchemas.STRING,
                        "expiresAt", ApiSchemas.STRING),
                    "user",
                    "csrfToken",
                    "expiresAt"))
            .body(
                ApiSchemas.closed(
                    ApiSchemas.props(
                        "username", ApiSchemas.STRING,
                        "password", ApiSchemas.STRING,
                        "token", ApiSchemas.STRING)))
            .status(201)
            .refuses(401, 413, 429));
    docs.describe(
        "GET " + PATH,
        OpenApiDocument.Operation.of(
            "Who is calling: name, subjects, roles, and whether by session",
            ApiSchemas.object(
                ApiSchemas.props(
                    "name",
                    ApiSchemas.STRING,
                    "subjects",
                    ApiSchemas.array(ApiSchemas.STRING),
                    "roles",
                    ApiSchemas.array(ApiSchemas.STRING),
                    "session",
                    ApiSchemas.BOOLEAN),
                "name",
                "subjects",
                "roles",
                "session")));
    docs.describe(
        "DELETE " + PATH,
        OpenApiDocument.Operation.of(
                "Log out: ends the session, if the call came with one", Map.of())
            .status(204));
  }

  /** What a login sends: a user and password, or a token. */
  private record Credentials(String user, Optional<String> password, Optional<String> token) {}

  private void login(Context ctx) {
    String address = access.addresses().of(ctx);
    Credentials credentials;
    try {
      credentials = credentials(ctx);
    } catch (IllegalArgumentException bad) {
      ctx.status(400).json(new ApiError("invalid_request", bad.getMessage(), LOGIN_FIX));
      return;
    }
    // A token login names no user: it is counted per address only, so failing token logins from
    // one address cannot lock out everyone else's.
    String who =
        credentials.token().isPresent() ? "(token from " + address + ")" : credentials.user();
    Optional<Duration> wait = access.throttle().waitFor(who, address);
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      ctx.header("Retry-After", Long.toString(seconds));
      ctx.status(429)
          .json(
              new ApiError(
                  "too_many_attempts",
                  "too many failed logins for this user or from this address",
                  "wait " + seconds + " s and try again"));
      audit(who, address, "429 throttled");
      return;
    }
    Optional<String> user = Optional.empty();
    if (credentials.password().isPresent()) {
      if (access.users().verify(who, credentials.password().get())) {
        user = Optional.of(who);
      }
    } else {
      // A token opens a session of its owner.
      user = access.tokens().authenticate(credentials.token().orElseThrow()).map(p -> ownerOf(p));
    }
    if (user.isEmpty()) {
      access.throttle().failed(who, address);
      ctx.status(401)
          .json(
              new ApiError(
                  "login_failed",
                  "the user name and password, or the token, are not valid",
                  LOGIN_FIX));
      audit(who, address, "401 failed");
      log.info("login of '{}' from {} failed", who, address);
      return;
    }
    access.throttle().succeeded(who, address);
    Sessions.Opened opened = access.sessions().open(user.get());
    Cookie cookie =
        new Cookie(
            Sessions.COOKIE,
            opened.id(),
            "/",
            (int) access.sessions().lifetimes().absolute().toSeconds(),
            access.settings().secureCookies(),
            true,
            null,
            SameSite.STRICT);
    ctx.cookie(cookie);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("user", user.get());
    body.put("csrfToken", opened.csrf());
    body.put("expiresAt", opened.expiresAt().toString());
    ctx.status(201).json(body);
    audit(user.get(), address, "201");
    log.info("{} logged in from {}", user.get(), address);
  }

  private void whoAmI(Context ctx) {
    Principal principal = AccessGate.principal(ctx);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", principal.name());
    body.put("subjects", principal.subjects().stream().sorted().toList());
    body.put(
        "roles",
        access.authorizer().policy().closure(principal.subjects()).stream()
            .filter(s -> s.startsWith("role:"))
            .sorted()
            .toList());
    body.put("session", principal.bySession());
    ctx.json(body);
  }

  private void logout(Context ctx) {
    String cookie = ctx.cookie(Sessions.COOKIE);
    if (cookie != null && AccessGate.principal(ctx).bySession()) {
      access.sessions().close(cookie);
    }
    ctx.removeCookie(Sessions.COOKIE, "/");
    ctx.status(204);
  }

  private static String ownerOf(Principal token) {
    // A token's subjects are its owner and token:<name>; the session acts as the owner.
    return token.subjects().stream().filter(s -> !s.startsWith("token:")).findFirst().orElseThrow();
  }

  private static final String LOGIN_FIX =
      "send {\"username\": …, \"password\": …} or {\"token\": \"tfa_…\"} as JSON";

  private Credentials credentials(Context ctx) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length > MAX_BODY) {
      throw new IllegalArgumentException("the login body is larger than " + MAX_BODY + " bytes");
    }
    JsonNode node;
    try {
      node = json.readTree(bytes);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("the login body is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("the login body is not a JSON object");
    }
    Set<String> known = Set.of("username", "password", "token");
    for (Iterator<String> names = node.propertyNames().iterator(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "unknown field '" + (name.length() > 40 ? name.substring(0, 40) + "…" : name) + "'");
      }
    }
    Optional<String> user = text(node, "username");
    Optional<String> password = text(node, "password");
    Optional<String> token = text(node, "token");
    if (token.isPresent() && user.isEmpty() && password.isEmpty()) {
      return new Credentials("token", Optional.empty(), token);
    }
    if (user.isPresent() && password.isPresent() && token.isEmpty()) {
      if (user.get().length() > 64) {
        throw new IllegalArgumentException("the user name is longer than 64 characters");
      }
      return new Credentials(user.get(), password, Optional.empty());
    }
    throw new IllegalArgumentException("a login is a username and a password, or a token alone");
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isString() || value.stringValue().isEmpty()) {
      throw new IllegalArgumentException("field '" + field + "' must be a non-empty string");
    }
    return Optional.of(value.stringValue());
  }

  private void audit(String actor, String address, String result) {
    access
        .audit()
        .record(
            new AuditEntry(
                access.clock().instant(), actor, "POST " + PATH + " (login)", "", address, result));
  }
}
