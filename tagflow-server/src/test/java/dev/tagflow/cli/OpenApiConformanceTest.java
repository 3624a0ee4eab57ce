package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.tagflow.PlainJson;
import dev.tagflow.cli.ApiRequests.Kind;
import dev.tagflow.cli.ApiRequests.Operation;
import dev.tagflow.cli.ApiRequests.Request;
import dev.tagflow.server.auth.AdminToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API of a real {@code tagflow server} process against the OpenAPI document it serves at {@code
 * /api/v1/openapi.json}, as schemathesis checks an API: for every operation of the document,
 * requests made from its schemas (valid ones, and ones with wrong types, missing and unknown
 * fields, huge strings, deep nesting, odd Unicode and broken UTF-8, duplicate fields, empty bodies,
 * the wrong content type, odd path segments and query values; {@link ApiRequests}) are sent with
 * the admin token. Every answer must be below 500, have a status the document declares for that
 * operation, validate against the schema the document gives for that status (checked with
 * networknt's JSON Schema validator in its OpenAPI 3.1 dialect), and, when it is a refusal, be
 * {@code {error, message, field?, fix?}}.
 *
 * <p>Why not schemathesis itself: it is a Python tool from PyPI, which this project's machines do
 * not reach, and Tagflow and its tests are Java; this is the same check, written for our document.
 *
 * <p>The requests are drawn from a seeded {@link Random}, each case from a generator of its own:
 * {@code -Dtagflow.apiFuzz.seed=N} repeats a run, {@code -Dtagflow.apiFuzz.requests=N} sets how
 * many (300 in {@code make test}; {@code make fuzz-api} sends {@code API_FUZZ_REQUESTS}, 5000 by
 * default, from a new seed). A failure names the seed and the case and prints the request as a curl
 * line, the token left as {@code $TAGFLOW_TOKEN}. Requests that would cut the test's own branch are
 * never sent: it does not revoke the admin's token nor remove or change the admin user; the tokens,
 * users and secret it deletes are ones it made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// A safety net, not a measure: a request that never gets an answer must not hang the build.
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class OpenApiConformanceTest {

  private static final String DOCUMENT = "/api/v1/openapi.json";
  private static final String DOCUMENT_ID = "https://tagflow.test/openapi.json";
  private static final int MAX_FAILURES_SHOWN = 15;

  // Kept when the test fails: the server's log is in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path temp;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final JsonMapper json3 = JsonMapper.builder().build();
  private ServerProcess server;
  private URI url;
  private String admin;
  private JsonNode document;
  private SchemaRegistry schemas;
  private final Map<String, Schema> compiled = new HashMap<>();
  private final Map<String, List<String>> known = new LinkedHashMap<>();
  private final List<String> adminTokens = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    server = new ServerProcess(temp, "tf_openapi_push_token");
    server.host("fuzz");
    url = URI.create(server.start());
    admin = Files.readString(server.data().resolve("admin-token")).strip();
    HttpResponse<String> served = send("GET", DOCUMENT, null, null, admin);
    assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    document = PlainJson.MAPPER.readTree(served.body());
    schemas =
        SchemaRegistry.withDialect(
            Dialects.getOpenApi31(), b -> b.schemas(Map.of(DOCUMENT_ID, served.body())));
    seedObjects();
  }

  /** Objects the requests may name and change: tokens, users and a secret of the test's own. */
  private void seedObjects() throws Exception {
    List<String> tokens = new ArrayList<>();
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> token =
          send(
              "POST",
              "/api/v1/tokens",
              "{\"name\":\"victim-" + i + "\",\"owner\":\"fuzz-owner\"}",
              "application/json",
              admin);
      assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
      tokens.add(PlainJson.MAPPER.readTree(token.body()).path("id").asText());
      HttpResponse<String> user =
          send(
              "POST",
              "/api/v1/users",
              "{\"name\":\"victim-" + i + "\",\"password\":\"a long password " + i + "\"}",
              "application/json",
              admin);
      assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
      users.add("victim-" + i);
    }
    HttpResponse<String> secret =
        send(
            "PUT",
            "/api/v1/secrets/project/shop/FUZZ",
            "{\"value\":\"fuzz value\"}",
            "application/json",
            admin);
    assertThat(secret.statusCode()).as(secret.body()).isLessThan(300);
    for (JsonNode token :
        PlainJson.MAPPER
            .readTree(send("GET", "/api/v1/tokens", null, null, admin).body())
            .path("items")) {
      if (token.path("owner").asText().equals(AdminToken.OWNER)) {
        adminTokens.add(token.path("id").asText());
      }
    }
    assertThat(adminTokens).as("the admin's token").isNotEmpty();
    known.put("token", tokens);
    known.put("user", users);
    known.put("kind", List.of("project", "repository"));
    known.put("scope", List.of("shop", "git/fuzz"));
    known.put("name", List.of("FUZZ", "fuzz", "web"));
    known.put("owner", List.of("git", "fuzz-owner"));
    known.put("id", List.of("1", "7"));
    known.put("repository", List.of("git/fuzz"));
    known.put("workflow", List.of("release.yml"));
    known.put("ref", List.of("v1.0.0", "main"));
    known.put("username", users);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    http.close();
  }

  @Test
  void everyAnswerIsBelow500DeclaredAndValidAgainstTheDocument() throws Exception {
    long seed = Long.getLong("tagflow.apiFuzz.seed", 20261206L);
    int count = Integer.getInteger("tagflow.apiFuzz.requests", 300);
    List<Operation> operations = ApiRequests.operations(document);
    assertThat(operations).as("the document's operations").hasSizeGreaterThan(20);
    ApiRequests requests = new ApiRequests(known);
    Kind[] kinds = Kind.values();
    List<String> failures = new ArrayList<>();
    Map<String, Integer> statuses = new TreeMap<>();
    Request previous = null;
    for (int n = 0; n < count; n++) {
      Operation operation = operations.get(n % operations.size());
      // Each case its own generator, so that one case is repeated without those before it.
      Random random = new Random(seed * 1_000_003L + n);
      // Every operation's first round is a valid request; the later ones each break it one way.
      Kind kind = n < operations.size() ? Kind.VALID : kinds[random.nextInt(kinds.length)];
      Request request = requests.request(operation, kind, random);
      if (cutsOwnBranch(request)) {
        continue;
      }
      List<String> wrong;
      try {
        Answer answer = send(request);
        statuses.merge(operation.key() + " " + answer.status(), 1, Integer::sum);
        wrong = check(operation, answer);
      } catch (IOException noAnswer) {
        // The server closed the connection without an answer: a finding like a 5xx. The request
        // before it may have left the connection so (the client reuses connections).
        wrong =
            List.of(
                "no answer: "
                    + noAnswer.getMessage()
                    + (previous == null ? "" : "; the request before: " + curl(previous)));
      }
      previous = request;
      if (!wrong.isEmpty()) {
        failures.add(
            "case "
                + n
                + " ("
                + kind
                + ", seed "
                + seed
                + "): "
                + String.join("; ", wrong)
                + "\n  "
                + curl(request));
      }
    }
    HttpResponse<String> stillAdmin = send("GET", "/api/v1/session", null, null, admin);
    assertThat(stillAdmin.statusCode()).as("the admin token still works").isEqualTo(200);
    assertThat(failures)
        .as(
            failures.size()
                + " of "
                + count
                + " answers break the document (first "
                + MAX_FAILURES_SHOWN
                + " shown); statuses seen: "
                + statuses
                + "\n"
                + String.join(
                    "\n", failures.subList(0, Math.min(MAX_FAILURES_SHOWN, failures.size()))))
        .isEmpty();
  }

  /** Whether the request would revoke the test's own token or change the admin user. */
  private boolean cutsOwnBranch(Request request) {
    String target = request.target();
    return adminTokens.stream()
            .anyMatch(id -> target.startsWith("/api/v1/tokens/" + ApiRequests.encode(id)))
        || target.startsWith("/api/v1/users/" + ApiRequests.encode(AdminToken.OWNER));
  }

  /** What is wrong with the answer to a request of {@code operation}; empty when nothing. */
  private List<String> check(Operation operation, Answer answer) {
    List<String> wrong = new ArrayList<>();
    int status = answer.status();
    String text = new String(answer.body(), StandardCharsets.UTF_8);
    if (status >= 500) {
      wrong.add("answered " + status + ": " + shorten(text));
      return wrong;
    }
    JsonNode responses = operation.operation().path("responses");
    JsonNode declared = responses.path(Integer.toString(status));
    if (declared.isMissingNode()) {
      wrong.add(
          "answered "
              + status
              + ", which the document does not declare (it declares "
              + names(responses)
              + "): "
              + shorten(text));
      return wrong;
    }
    Optional<String> type = answer.headers().firstValue("Content-Type");
    boolean isJson = type.map(t -> t.startsWith("application/json")).orElse(false);
    if (declared.path("content").has("application/json") && !isJson && status != 204) {
      wrong.add("answered " + status + " as " + type.orElse("no content type") + ", not JSON");
      return wrong;
    }
    if (!isJson || answer.body().length == 0) {
      return wrong;
    }
    tools.jackson.databind.JsonNode body;
    try {
      body = json3.readTree(answer.body());
    } catch (tools.jackson.core.JacksonException notJson) {
      wrong.add("answered " + status + " with a body that is not JSON: " + shorten(text));
      return wrong;
    }
    if (declared.path("content").has("application/json")) {
      String pointer =
          "/paths/"
              + escape(operation.path())
              + "/"
              + operation.method().toLowerCase()
              + "/responses/"
              + status
              + "/content/application~1json/schema";
      schema(pointer)
          .validate(body)
          .forEach(error -> wrong.add("answer " + status + " breaks its schema: " + error));
    }
    if (status >= 400) {
      tools.jackson.databind.JsonNode field = body.path("field");
      if (!body.path("error").isString()
          || !body.path("message").isString()
          || !(field.isMissingNode() || field.isString())) {
        wrong.add("refusal " + status + " is not {error, message, field?}: " + shorten(text));
      }
      if (text.contains("Exception") || text.contains("at dev.tagflow")) {
        wrong.add("refusal " + status + " shows a stack trace: " + shorten(text));
      }
    }
    return wrong;
  }

  private Schema schema(String pointer) {
    return compiled.computeIfAbsent(
        pointer, p -> schemas.getSchema(SchemaLocation.of(DOCUMENT_ID + "#" + p)));
  }

  private static String escape(String pointerPart) {
    return pointerPart.replace("~", "~0").replace("/", "~1");
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.propertyNames().forEach(names::add);
    return names;
  }

  private Answer send(Request request) throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url + request.target()))
            .timeout(Duration.ofMinutes(2))
            .header("Authorization", "Bearer " + admin)
            .method(
                request.method(),
                request.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    if (request.contentType() != null) {
      builder.header("Content-Type", request.contentType());
    }
    HttpResponse<InputStream> answer =
        http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = answer.body()) {
      // A live stream (a run's log) is checked by its status and type only: it may never end.
      boolean stream =
          answer.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
      byte[] bytes = stream ? new byte[0] : body.readNBytes(16 << 20);
      return new Answer(answer.statusCode(), answer.headers(), bytes);
    }
  }

  private HttpResponse<String> send(
      String method, String target, String body, String contentType, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url + target))
            .timeout(Duration.ofMinutes(2))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The request as a curl command line, the token masked and a long body cut. */
  private String curl(Request request) {
    StringBuilder line = new StringBuilder("curl -sS -X ").append(request.method());
    line.append(" '").append(url).append(request.target().replace("'", "'\\''")).append('\'');
    line.append(" -H 'Authorization: Bearer $TAGFLOW_TOKEN'");
    if (request.contentType() != null) {
      line.append(" -H 'Content-Type: ").append(request.contentType()).append('\'');
    }
    if (request.body() != null) {
      byte[] body = request.body();
      int shown = Math.min(body.length, 400);
      StringBuilder escaped = new StringBuilder();
      for (int i = 0; i < shown; i++) {
        int b = body[i] & 0xff;
        if (b >= 0x20 && b < 0x7f && b != '\'' && b != '\\' && b != '%') {
          escaped.append((char) b);
        } else {
          escaped.append(String.format("\\x%02x", b));
        }
      }
      line.append(" --data-binary \"$(printf '").append(escaped).append("')\"");
      if (shown < body.length) {
        line.append("   # body cut: ").append(body.length).append(" bytes in all");
      }
    }
    return line.toString();
  }

  private static String shorten(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  /** An answer: its status, headers and body (left unread, empty, for a stream). */
  private record Answer(int status, java.net.http.HttpHeaders headers, byte[] body) {}
}
