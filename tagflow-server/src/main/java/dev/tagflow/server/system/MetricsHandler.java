package dev.tagflow.server.system;

import dev.tagflow.UrlRedaction;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;

/** {@code GET /metrics}: every meter in Prometheus' text format, for scraping. */
public final class MetricsHandler implements Handler {

  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  public MetricsHandler(PrometheusMeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void handle(Context ctx) {
    // Anyone may scrape: meters tag repositories by URL without credentials, and this makes sure.
    ctx.contentType(CONTENT_TYPE).result(UrlRedaction.redact(registry.scrape()));
  }
}
