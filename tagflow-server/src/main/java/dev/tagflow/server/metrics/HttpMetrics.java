package dev.tagflow.server.metrics;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * Every request Javalin answers, as {@code tagflow_http_server_requests_seconds{method, route,
 * status}}: the route is the template it matched ({@code /api/repos}, {@code /api/apps/{name}}),
 * never the path, so ids and tokens in paths never become labels; a request no route matched is
 * {@code route="unmatched"}.
 */
public final class HttpMetrics implements RequestLogger {

  static final String REQUESTS = "tagflow.http.server.requests";

  private final MeterRegistry meters;

  public HttpMetrics(MeterRegistry meters) {
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  @Override
  public void handle(Context ctx, Float millis) {
    Timer.builder(REQUESTS)
        .description("HTTP requests answered, by route template, method and status")
        .tag("method", ctx.method().name())
        .tag("route", route(ctx))
        .tag("status", Integer.toString(ctx.statusCode()))
        .register(meters)
        .record(Duration.ofNanos((long) (millis * 1_000_000)));
  }

  private static String route(Context ctx) {
    try {
      String path = ctx.endpoint().path;
      // A catch-all route (404 handling, static files) names no resource.
      return path == null || path.isEmpty() || path.equals("*") ? "unmatched" : path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }
}
