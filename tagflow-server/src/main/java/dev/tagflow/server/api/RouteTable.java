package dev.tagflow.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The API's and the web UI's routes, each with its declared access; the only way {@code /api/*}
 * (webhooks excepted) and {@code /ui} routes are registered, so none can be added without saying
 * who may call it.
 */
public final class RouteTable {

  /** The path prefix of the webhooks, which sign their requests instead. */
  public static final String WEBHOOKS = "/api/webhooks/";

  /** The path prefix of the web UI's pages, streams and assets, declared here too. */
  public static final String UI = "/ui";

  private final List<Route> routes = new ArrayList<>();
  private final Set<String> keys = new HashSet<>();

  public RouteTable add(HandlerType method, String path, Access access, Handler handler) {
    boolean ui = path.equals(UI) || path.startsWith(UI + "/");
    if (!(ui || path.startsWith("/api/")) || path.startsWith(WEBHOOKS)) {
      throw new IllegalArgumentException(path + " is not an API route of the table");
    }
    Route route = new Route(method, path, access, handler);
    if (!keys.add(route.key())) {
      throw new IllegalArgumentException(route.key() + " is declared twice");
    }
    routes.add(route);
    return this;
  }

  public RouteTable get(String path, Access access, Handler handler) {
    return add(HandlerType.GET, path, access, handler);
  }

  public RouteTable post(String path, Access access, Handler handler) {
    return add(HandlerType.POST, path, access, handler);
  }

  public RouteTable put(String path, Access access, Handler handler) {
    return add(HandlerType.PUT, path, access, handler);
  }

  public RouteTable delete(String path, Access access, Handler handler) {
    return add(HandlerType.DELETE, path, access, handler);
  }

  public List<Route> routes() {
    return List.copyOf(routes);
  }

  /** Registers every route, each behind {@code gate}. */
  public void mount(RoutesConfig javalin, AccessGate gate) {
    for (Route route : routes) {
      javalin.addEndpoint(new Endpoint(route.method(), route.path(), gate.guard(route)));
    }
  }
}
