package dev.tagflow.server.api;

import dev.tagflow.UrlRedaction;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.server.rbac.Permission;
import dev.tagflow.server.system.Probe;
import dev.tagflow.server.system.ReadyHandler;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/clusters}: the clusters the controller deploys to, each asked now whether its
 * API server answers (its version, or why not); no credentials, no kubeconfig contents.
 */
public final class ClusterRoutes {

  public static final String PATH = "/api/v1/clusters";

  private static final String PREFIX = "cluster/";
  private static final Permission GET = Permission.of("clusters/get");

  private final Supplier<List<Probe>> probes;
  private final Duration timeout;
  private final Authorizer authorizer;

  /**
   * @param probes the server's readiness probes; those named {@code cluster/<name>} are used
   */
  public ClusterRoutes(Supplier<List<Probe>> probes, Duration timeout, Authorizer authorizer) {
    this.probes = probes;
    this.timeout = timeout;
    this.authorizer = authorizer;
  }

  public void addTo(RouteTable table, OpenApiDocument docs) {
    table.get(
        PATH,
        new Access.SignedIn(
            "each cluster is listed only if the caller has clusters/get on its name"),
        Handlers.answered(this::list));
    docs.describe(
        "GET " + PATH,
        OpenApiDocument.Operation.of(
            "Clusters and whether each answers now", ResourceSchemas.CLUSTER_LIST));
  }

  private void list(Context ctx) throws InterruptedException {
    Set<String> subjects = AccessGate.principal(ctx).subjects();
    List<Probe> clusters =
        probes.get().stream()
            .filter(p -> p.name().startsWith(PREFIX))
            .filter(p -> authorizer.allows(subjects, GET, p.name().substring(PREFIX.length())))
            .toList();
    List<Map<String, Object>> items =
        new ReadyHandler(() -> clusters, timeout)
            .check().checks().stream()
                .map(
                    c -> {
                      Map<String, Object> json = new LinkedHashMap<>();
                      json.put("name", c.name().substring(PREFIX.length()));
                      json.put("reachable", c.ready());
                      json.put(c.ready() ? "version" : "error", UrlRedaction.redact(c.detail()));
                      return json;
                    })
                .toList();
    ctx.json(Map.of("items", items));
  }
}
