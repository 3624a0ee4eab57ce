package dev.tagflow.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tagflow.PlainJson;
import dev.tagflow.server.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Any delivery to the webhook endpoints of a real server on loopback, GitHub's signed with the
 * secret and GitLab's with its token, so that the fuzzer gets past the check to the payload. An
 * input is a first line {@code <event> [<content type>] [unsigned]} and the body after it. A crash
 * is an answer that is a 5xx or not a known status, a body that is not the JSON of a reply or of a
 * refusal with a known code, or a request the server does not answer within 10 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookFuzzTest {

  /** A repository no refresh can reach over the network: seeds name it to get to the trigger. */
  static final String TRACKED = "/tagflow-fuzz/tracked/app.git";

  private static final Set<Integer> STATUSES = Set.of(200, 202, 400, 401, 413);
  private static final Set<String> REPLIES = Set.of("accepted", "pong", "ignored");
  private static final Set<String> LOGGERS =
      Set.of("dev.tagflow.server.webhook", "dev.tagflow.server.events");

  private final AtomicLong deliveries = new AtomicLong();
  private final Map<String, Level> levels = new HashMap<>();
  private TestServer server;
  private HttpClient http;

  @BeforeAll
  void startServerQuietly(@TempDir Path temp) {
    // A line per delivery, thousands a second, would be most of what fuzzing costs.
    for (String name : LOGGERS) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      levels.put(name, logger.getLevel());
      logger.setLevel(Level.ERROR);
    }
    server = TestServer.start(temp.resolve("data"), TRACKED);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  void stopServer() {
    http.close();
    server.close();
    levels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
  }

  @DictionaryFile(resourcePath = "/dev/tagflow/server/webhook/webhook.dict")
  @FuzzTest
  void answersAnySignedGitHubDeliveryWithAKnownStatusAndJson(byte[] input) {
    Delivery delivery = Delivery.of(input);
    HttpRequest.Builder request =
        request("/api/webhooks/github", delivery)
            .header("X-GitHub-Delivery", "fuzz-" + deliveries.incrementAndGet());
    if (!delivery.event().isEmpty()) {
      request.header("X-GitHub-Event", delivery.event());
    }
    if (delivery.signed()) {
      request.header("X-Hub-Signature-256", signature(delivery.body()));
    }
    answersWithAKnownStatusAndJson(request);
  }

  @DictionaryFile(resourcePath = "/dev/tagflow/server/webhook/webhook.dict")
  @FuzzTest
  void answersAnyGitLabDeliveryWithItsTokenWithAKnownStatusAndJson(byte[] input) {
    Delivery delivery = Delivery.of(input);
    HttpRequest.Builder request =
        request("/api/webhooks/gitlab", delivery)
            .header("X-Gitlab-Event-UUID", "fuzz-" + deliveries.incrementAndGet());
    if (!delivery.event().isEmpty()) {
      request.header("X-Gitlab-Event", delivery.event());
    }
    if (delivery.signed()) {
      request.header("X-Gitlab-Token", TestServer.SECRET);
    }
    answersWithAKnownStatusAndJson(request);
  }

  private HttpRequest.Builder request(String path, Delivery delivery) {
    URI url = server.url().resolve(path);
    return HttpRequest.newBuilder(url)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", delivery.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
  }

  private void answersWithAKnownStatusAndJson(HttpRequest.Builder request) {
    HttpResponse<String> response;
    // Jazzer's request-forgery detector refuses every connection but this test's to the server:
    // a payload that made the server connect anywhere else would be a finding.
    int port = server.url().getPort();
    try (SilentCloseable loopbackOnly =
        BugDetectors.allowNetworkConnections(
            (host, to) -> to == port && (host.equals("localhost") || host.startsWith("127.")))) {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("the server did not answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    String body = response.body();
    assertThat(response.statusCode()).as(body).isIn(STATUSES);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode answer;
    try {
      answer = PlainJson.MAPPER.readTree(body);
    } catch (tools.jackson.core.JacksonException e) {
      throw new AssertionError("the answer is not JSON: " + body, e);
    }
    if (response.statusCode() < 300) {
      assertThat(answer.path("status").asText()).as(body).isIn(REPLIES);
      assertThat(answer.path("message").asText()).as(body).isNotBlank();
    } else {
      List<String> codes = Arrays.stream(Rejection.values()).map(Rejection::code).toList();
      assertThat(answer.path("error").asText()).as(body).isIn(codes);
      assertThat(answer.path("fix").asText()).as(body).isNotBlank();
    }
  }

  private static String signature(byte[] body) {
    return WebhookSecret.of(TestServer.SECRET).signatureOf(body);
  }

  /**
   * A delivery as a fuzz input: the event, the content type (JSON unless named) and whether it is
   * signed on the first line, the body after it.
   */
  private record Delivery(String event, String contentType, boolean signed, byte[] body) {

    static Delivery of(byte[] input) {
      int newline = indexOf(input, (byte) '\n');
      String head =
          newline < 0 ? "" : new String(input, 0, newline, StandardCharsets.UTF_8).strip();
      byte[] body = Arrays.copyOfRange(input, newline + 1, input.length);
      String[] words = head.isEmpty() ? new String[0] : head.split("\\s+");
      String event = words.length > 0 ? header(words[0]) : "";
      String contentType = words.length > 1 ? header(words[1]) : "";
      boolean signed = words.length < 3 || !words[2].equals("unsigned");
      return new Delivery(
          event, contentType.isEmpty() ? "application/json" : contentType, signed, body);
    }

    /** What of a word may be a header's value (no control characters), the HTTP client's rule. */
    private static String header(String word) {
      return word.codePoints()
          .filter(c -> c > 0x20 && c < 0x7f)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
          .toString();
    }

    private static int indexOf(byte[] bytes, byte b) {
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == b) {
          return i;
        }
      }
      return -1;
    }
  }
}
