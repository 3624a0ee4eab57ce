package dev.tagflow.server.api;

import dev.tagflow.server.ApiError;
import dev.tagflow.server.auth.AccessControl;
import dev.tagflow.server.auth.Authenticator;
import dev.tagflow.server.auth.Principal;
import dev.tagflow.server.auth.Sessions;
import dev.tagflow.store.AuditEntry;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands before every route of the table: who is calling (401 when nobody or invalid), may they
 * (403), did a session send its CSRF token with a change (403), and the audit log line of every
 * change, allowed or not.
 */
public final class AccessGate {

  private static final Logger log = LoggerFactory.getLogger(AccessGate.class);

  /** The longest object shown in an answer or the audit log. */
  static final int MAX_OBJECT_CHARS = 200;

  /**
   * How a refusal of a web UI route is shown to a person: a page saying what is missing, rather
   * than the API's JSON.
   */
  @FunctionalInterface
  public interface UiRefusal {
    /**
     * Answers {@code status} with a page for {@code principal}, who was refused for {@code why}.
     */
    void answer(Context ctx, int status, Principal principal, ApiError why);
  }

  private final AccessControl access;
  private final UiRefusal uiRefusal;

  public AccessGate(AccessControl access) {
    this(access, (ctx, status, principal, why) -> ctx.status(status).json(why));
  }

  public AccessGate(AccessControl access, UiRefusal uiRefusal) {
    this.access = access;
    this.uiRefusal = uiRefusal;
  }

  public AccessControl access() {
    return access;
  }

  Handler guard(Route route) {
    return ctx -> handle(route, ctx);
  }

  private void handle(Route route, Context ctx) throws Exception {
    if (route.access() instanceof Access.Public) {
      // Public routes that change something (the login) write their own audit lines: they know
      // who tried.
      route.handler().handle(ctx);
      return;
    }
    String address = access.addresses().of(ctx);
    Principal principal;
    switch (access.authenticator().of(ctx)) {
      case Authenticator.Outcome.Anonymous anonymous -> {
        if (uiPage(route)) {
          // A person without a session: to the login page rather than a JSON error.
          ctx.redirect(UI_LOGIN, HttpStatus.SEE_OTHER);
          return;
        }
        unauthorized(ctx, "this route needs a token or a signed-in session");
        audit(route, "anonymous", "", address, "401");
        return;
      }
      case Authenticator.Outcome.Refused refused -> {
        if (uiPage(route)) {
          ctx.redirect(UI_LOGIN, HttpStatus.SEE_OTHER);
          audit(route, "anonymous", "", address, "303 invalid credentials");
          return;
        }
        unauthorized(ctx, refused.reason());
        audit(route, "anonymous", "", address, "401 invalid credentials");
        return;
      }
      case Authenticator.Outcome.Known known -> {
        principal = known.principal();
        if (route.changes()
            && known.sessionId().isPresent()
            && !access.sessions().csrfMatches(known.sessionId().get(), csrfToken(route, ctx))) {
          refuse(
              route,
              ctx,
              principal,
              new ApiError(
                  "csrf_token_invalid",
                  "a change made with a session cookie needs the session's CSRF token in the "
                      + Sessions.CSRF_HEADER
                      + " header"
                      + (ui(route) ? " or the form's " + CSRF_FIELD + " field" : ""),
                  ui(route)
                      ? "load the page again and resend the form from it"
                      : "send the csrfToken the login answered, or use a bearer token"));
          audit(route, principal.name(), "", address, "403 csrf");
          return;
        }
      }
    }
    String object = "";
    if (route.access() instanceof Access.Required required) {
      String full = required.object().of(ctx);
      // Decided on the whole object; shown shortened.
      object = shown(full);
      if (!access.authorizer().allows(principal.subjects(), required.permission(), full)) {
        refuse(
            route,
            ctx,
            principal,
            new ApiError(
                "forbidden",
                principal.name()
                    + " may not "
                    + required.permission()
                    + (object.isEmpty() ? "" : " on " + object),
                "ask an admin for a role that grants "
                    + required.permission()
                    + " (docs/auth.md)"));
        audit(route, principal.name(), object, address, "403 denied");
        log.info("{} denied {} on '{}'", principal.name(), route.key(), object);
        return;
      }
    }
    ctx.attribute(Principal.class.getName(), principal);
    try {
      route.handler().handle(ctx);
    } catch (Exception | Error e) {
      audit(route, principal.name(), object, address, "500 failed");
      throw e;
    }
    audit(route, principal.name(), object, address, Integer.toString(ctx.statusCode()));
  }

  /**
   * The form field a web UI form sends its CSRF token in (a form without script sets no header).
   */
  public static final String CSRF_FIELD = "csrf";

  /** The header's token, else for a web UI form the form field's. */
  private static String csrfToken(Route route, Context ctx) {
    String header = ctx.header(Sessions.CSRF_HEADER);
    if (header != null || !ui(route)) {
      return header;
    }
    String type = ctx.contentType();
    return type != null && type.startsWith("application/x-www-form-urlencoded")
        ? ctx.formParam(CSRF_FIELD)
        : null;
  }

  /** A refusal: a page for a web UI route, the API's JSON for the others. */
  private void refuse(Route route, Context ctx, Principal principal, ApiError why) {
    if (ui(route)) {
      uiRefusal.answer(ctx, 403, principal, why);
    } else {
      ctx.status(403).json(why);
    }
  }

  /** A route of the web UI (page, form, stream or asset). */
  static boolean ui(Route route) {
    return route.path().equals(RouteTable.UI) || route.path().startsWith(RouteTable.UI + "/");
  }

  /** Where a web UI page sends a caller without a valid session. */
  static final String UI_LOGIN = RouteTable.UI + "/login";

  /** A page of the web UI a browser navigates to (its event stream answers 401 like the API). */
  static boolean uiPage(Route route) {
    return route.method() == HandlerType.GET && ui(route) && !route.path().endsWith("/events");
  }

  /** The principal the gate let through, for handlers that need it. */
  public static Principal principal(Context ctx) {
    Principal principal = ctx.attribute(Principal.class.getName());
    if (principal == null) {
      throw new IllegalStateException("no principal: the route is not behind the gate");
    }
    return principal;
  }

  private void audit(Route route, String actor, String object, String address, String result) {
    if (!route.changes()) {
      return;
    }
    access
        .audit()
        .record(
            new AuditEntry(access.clock().instant(), actor, route.key(), object, address, result));
  }

  /** The object as answers and the audit log show it: a body field can be a megabyte long. */
  static String shown(String object) {
    return object.length() <= MAX_OBJECT_CHARS
        ? object
        : object.substring(0, MAX_OBJECT_CHARS) + "…(" + object.length() + " characters)";
  }

  private static void unauthorized(Context ctx, String why) {
    ctx.header("WWW-Authenticate", "Bearer realm=\"Tagflow\"");
    ctx.status(401)
        .json(
            new ApiError(
                "unauthorized",
                why,
                "send 'Authorization: Bearer <token>' (tagflow token create), or log in with"
                    + " POST /api/v1/session"));
  }
}
