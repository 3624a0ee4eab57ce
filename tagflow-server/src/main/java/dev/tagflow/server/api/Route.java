package dev.tagflow.server.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/** One API route: method, path (Javalin syntax), what it needs, and its handler. */
public record Route(HandlerType method, String path, Access access, Handler handler) {

  /**
   * Whether the route changes something: those need a CSRF token with a session, and are audited.
   */
  public boolean changes() {
    return method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
  }

  /** E.g. {@code POST /api/repos}. */
  public String key() {
    return method + " " + path;
  }
}
