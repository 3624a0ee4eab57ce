package dev.tagflow.server.ui;

import dev.tagflow.server.ApiError;
import dev.tagflow.server.api.AccessGate;
import dev.tagflow.server.auth.AccessControl;
import dev.tagflow.server.auth.Principal;
import dev.tagflow.server.auth.Sessions;
import dev.tagflow.server.rbac.Permission;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What every page of the UI shares: rendering a template, the layout's parameters (who is signed
 * in, the session's CSRF token for htmx), permission checks for what a page lists, and the headers
 * an HTML answer is sent with.
 */
final class PageFrame {

  static final String CSP =
      "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

  private final AccessControl access;
  private final Pages pages;
  private final Clock clock;

  PageFrame(AccessControl access, Pages pages, Clock clock) {
    this.access = access;
    this.pages = pages;
    this.clock = clock;
  }

  AccessControl access() {
    return access;
  }

  Clock clock() {
    return clock;
  }

  String render(String template, Map<String, Object> params) {
    return pages.render(template, params);
  }

  /** The layout's parameters for the signed-in caller of {@code ctx}, in a map to add to. */
  Map<String, Object> params(Context ctx) {
    return params(ctx, AccessGate.principal(ctx));
  }

  /** The layout's parameters for {@code principal}, in a map to add to. */
  Map<String, Object> params(Context ctx, Principal principal) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("csrf", csrf(ctx, principal));
    params.put("user", principal.name());
    // The navigation leaves out the pages the viewer's roles do not open.
    Set<String> hidden = new HashSet<>();
    if (!allows(principal, "audit/get", "*")) {
      hidden.add("audit");
    }
    if (!allows(principal, "tokens/get", "*")) {
      hidden.add("settings");
    }
    params.put("hidden", Set.copyOf(hidden));
    return params;
  }

  /** Whether the caller of {@code ctx} may do {@code permission} on {@code object}. */
  boolean allows(Context ctx, String permission, String object) {
    return allows(AccessGate.principal(ctx), permission, object);
  }

  private boolean allows(Principal principal, String permission, String object) {
    return access.authorizer().allows(principal.subjects(), Permission.of(permission), object);
  }

  /** Renders {@code template} and sends it as a page. */
  void page(Context ctx, String template, Map<String, Object> params) {
    html(ctx, render(template, params));
  }

  /** The session's CSRF token for the page's htmx requests; none for a bearer token. */
  String csrf(Context ctx, Principal principal) {
    String cookie = ctx.cookie(Sessions.COOKIE);
    return principal.bySession() && cookie != null ? access.sessions().csrfOf(cookie) : "";
  }

  /** Answers {@code status} with a page that says what was refused and how to get it. */
  void refuse(Context ctx, int status, Principal principal, ApiError why) {
    Map<String, Object> params = params(ctx, principal);
    params.put("status", status);
    params.put("why", why);
    ctx.status(status);
    page(ctx, "refused.jte", params);
  }

  /** Sends HTML under the UI's Content-Security-Policy, never cached. */
  static void html(Context ctx, String page) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("text/html; charset=utf-8").result(page);
  }

  /** The owner of a live stream: its session, or the principal of a token. */
  static String owner(Principal principal) {
    return principal.session().orElse("principal:" + principal.name());
  }
}
