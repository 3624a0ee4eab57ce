package dev.tagflow.cluster;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the HTTP requests a client sends to the API server, by method, so tests and benchmarks can
 * show that a steady state costs (almost) nothing. A watch counts once, when it is opened, as
 * {@code WATCH}; a dry-run (a server-side apply that stores nothing) counts as {@code DRY-RUN}, so
 * the dry-runs of a sync can be told from its real applies ({@code PATCH}).
 */
public final class RequestCounter implements Interceptor {

  /** The name the counter is registered under in fabric8's HTTP client. */
  public static final String NAME = "tagflow-request-counter";

  private final Map<String, LongAdder> byMethod = new ConcurrentHashMap<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String method = request.method();
    String query = request.uri().getQuery();
    if (query != null && query.contains("watch=true")) {
      method = "WATCH";
    } else if (query != null && query.contains("dryRun=")) {
      method = "DRY-RUN";
    }
    byMethod.computeIfAbsent(method, m -> new LongAdder()).increment();
  }

  /** All requests sent so far. */
  public long total() {
    return byMethod.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * Requests sent so far, by HTTP method ({@code WATCH} for watches, {@code DRY-RUN} for dry-runs),
   * in name order.
   */
  public Map<String, Long> byMethod() {
    Map<String, Long> copy = new TreeMap<>();
    byMethod.forEach((method, count) -> copy.put(method, count.sum()));
    return copy;
  }
}
