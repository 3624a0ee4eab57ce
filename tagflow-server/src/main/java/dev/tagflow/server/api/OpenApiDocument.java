package dev.tagflow.server.api;

import dev.tagflow.TagflowVersion;
import dev.tagflow.server.auth.Sessions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document of the API, generated from the {@link RouteTable} at each request: every
 * route is in it (with the shapes its class declared through {@link #describe}, or a bare entry),
 * and nothing else is. Served at {@value #PATH}.
 */
public final class OpenApiDocument {

  public static final String PATH = "/api/v1/openapi.json";

  /**
   * What a route takes and answers.
   *
   * @param summary one line
   * @param query its query parameters, name to description
   * @param body the request body's schema, when it takes one
   * @param response the schema of its answer (none for a 204)
   * @param status the status of a successful answer
   * @param refusals statuses of refusals it answers beyond those every route of its kind does
   */
  public record Operation(
      String summary,
      Map<String, String> query,
      Optional<Map<String, Object>> body,
      Map<String, Object> response,
      int status,
      Set<Integer> refusals) {

    public Operation {
      query = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(query));
      refusals = Set.copyOf(refusals);
    }

    public static Operation of(String summary, Map<String, Object> response) {
      return new Operation(summary, Map.of(), Optional.empty(), response, 200, Set.of());
    }

    public Operation query(String name, String description) {
      Map<String, String> more = new LinkedHashMap<>(query);
      more.put(name, description);
      return new Operation(summary, more, body, response, status, refusals);
    }

    public Operation body(Map<String, Object> schema) {
      return new Operation(summary, query, Optional.of(schema), response, status, refusals);
    }

    public Operation status(int value) {
      return new Operation(summary, query, body, response, value, refusals);
    }

    /** Adds statuses this route refuses with, e.g. 429 for a throttled login. */
    public Operation refuses(Integer... statuses) {
      Set<Integer> more = new TreeSet<>(refusals);
      more.addAll(List.of(statuses));
      return new Operation(summary, query, body, response, status, more);
    }
  }

  private static final Pattern PARAM = Pattern.compile("[{<]([A-Za-z0-9_-]+)[}>]");

  private final RouteTable table;
  private final Map<String, Operation> operations = new ConcurrentHashMap<>();

  public OpenApiDocument(RouteTable table) {
    this.table = table;
  }

  /** The shapes of the route with that key ({@code GET /api/v1/…}). */
  public void describe(String key, Operation operation) {
    operations.put(key, operation);
  }

  /**
   * Declares the document's own route: public, because it holds the API's shapes and permissions
   * and no data, as docs/api.md says too, and clients read it before they hold a token.
   */
  public void addTo(RouteTable into) {
    into.get(
        PATH,
        new Access.Public("the API's description: routes and shapes, no data"),
        ctx -> ctx.contentType("application/json").json(document()));
  }

  /** The document. */
  public Map<String, Object> document() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put(
        "info",
        Map.of(
            "title",
            "Tagflow API",
            "version",
            TagflowVersion.current().version(),
            "description",
            "Tagflow's HTTP API; see docs/api.md. Every route names the permission it needs."));
    Map<String, Object> paths = new LinkedHashMap<>();
    for (Route route : table.routes()) {
      if (!route.path().startsWith("/api/")) {
        // The web UI's pages share the table (and its access checks), not the API's document.
        continue;
      }
      String path = PARAM.matcher(route.path()).replaceAll("{$1}");
      @SuppressWarnings("unchecked")
      Map<String, Object> item =
          (Map<String, Object>) paths.computeIfAbsent(path, p -> new LinkedHashMap<>());
      item.put(route.method().name().toLowerCase(), operation(route));
    }
    doc.put("paths", paths);
    Map<String, Object> schemes = new LinkedHashMap<>();
    schemes.put(
        "bearer", Map.of("type", "http", "scheme", "bearer", "description", "an API token (tf_…)"));
    schemes.put(
        "session",
        Map.of(
            "type",
            "apiKey",
            "in",
            "cookie",
            "name",
            Sessions.COOKIE,
            "description",
            "the web UI's session; changes also need X-CSRF-Token"));
    doc.put(
        "components",
        Map.of("schemas", Map.of("Error", ApiSchemas.ERROR), "securitySchemes", schemes));
    doc.put("security", List.of(Map.of("bearer", List.of()), Map.of("session", List.of())));
    return doc;
  }

  private Map<String, Object> operation(Route route) {
    Optional<Operation> described = Optional.ofNullable(operations.get(route.key()));
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("operationId", operationId(route));
    op.put("summary", described.map(Operation::summary).orElse(route.key()));
    switch (route.access()) {
      case Access.Required required -> {
        op.put("x-tagflow-permission", required.permission().toString());
        op.put("x-tagflow-object", required.object().description());
      }
      case Access.SignedIn signedIn -> op.put("x-tagflow-access", signedIn.reason());
      case Access.Public open -> {
        op.put("x-tagflow-access", "public: " + open.reason());
        op.put("security", List.of());
      }
    }
    List<Object> parameters = new ArrayList<>();
    Matcher names = PARAM.matcher(route.path());
    while (names.find()) {
      parameters.add(
          Map.of(
              "name", names.group(1), "in", "path", "required", true, "schema", ApiSchemas.STRING));
    }
    described.ifPresent(
        d ->
            d.query()
                .forEach(
                    (name, description) ->
                        parameters.add(
                            Map.of(
                                "name",
                                name,
                                "in",
                                "query",
                                "required",
                                false,
                                "description",
                                description,
                                "schema",
                                ApiSchemas.STRING))));
    if (!parameters.isEmpty()) {
      op.put("parameters", parameters);
    }
    described
        .flatMap(Operation::body)
        .ifPresent(
            schema ->
                op.put(
                    "requestBody",
                    Map.of(
                        "required",
                        false,
                        "content",
                        Map.of("application/json", Map.of("schema", schema)))));
    Map<String, Object> responses = new LinkedHashMap<>();
    Map<String, Object> success = new LinkedHashMap<>();
    success.put("description", "success");
    int status = described.map(Operation::status).orElse(200);
    if (status != 204) {
      described.ifPresent(
          d -> success.put("content", Map.of("application/json", Map.of("schema", d.response()))));
    }
    responses.put(Integer.toString(status), success);
    Map<String, Object> error =
        Map.of(
            "description",
            "refused: the body names what and why",
            "content",
            Map.of(
                "application/json",
                Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))));
    responses.put("400", error);
    if (!(route.access() instanceof Access.Public)) {
      responses.put("401", error);
    }
    if (route.access() instanceof Access.Required) {
      responses.put("403", error);
    }
    if (route.path().contains("{")) {
      responses.put("404", error);
    }
    if (route.changes() && route.access() instanceof Access.Required) {
      // A change reads its body strictly (RequestBody): too large for the server (413), not
      // JSON (415); and the engine may refuse it in the object's present state (409).
      responses.put("409", error);
      responses.put("413", error);
      responses.put("415", error);
    }
    // Any request whose path and query together are over Jetty's limit (8 KiB).
    responses.put("414", error);
    described.ifPresent(d -> d.refusals().forEach(code -> responses.put(code.toString(), error)));
    op.put("responses", responses);
    return op;
  }

  private static String operationId(Route route) {
    StringBuilder id = new StringBuilder(route.method().name().toLowerCase());
    for (String part : route.path().substring("/api/".length()).split("[/{}<>.-]+")) {
      if (!part.isEmpty()) {
        id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return id.toString();
  }
}
