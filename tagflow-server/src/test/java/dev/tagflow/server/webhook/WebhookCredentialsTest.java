package dev.tagflow.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tagflow.server.TestServer;
import dev.tagflow.server.events.TriggeredRefSource;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A tracked repository whose URL holds credentials (as a configuration written by hand may have
 * it): deliveries naming it are answered, logged and counted without them. Each log line is checked
 * as the code wrote it, before the logging configuration's own redaction.
 */
class WebhookCredentialsTest {

  private static final String SECRET = "wh-canary-s3cret-7Tq";
  private static final String TRACKED = "http://deploy:" + SECRET + "@127.0.0.1:9/acme/app.git";
  private static final String SHOWN = "http://127.0.0.1:9/acme/app.git";

  @TempDir Path temp;

  private TestServer server;
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final List<Class<?>> logging = List.of(WebhookReceiver.class, TriggeredRefSource.class);

  @BeforeEach
  void startServerTrackingAUrlWithCredentials() {
    logged.start();
    logging.forEach(type -> ((Logger) LoggerFactory.getLogger(type)).addAppender(logged));
    server = TestServer.start(temp.resolve("data"), TRACKED);
  }

  @AfterEach
  void stop() {
    server.close();
    logging.forEach(type -> ((Logger) LoggerFactory.getLogger(type)).detachAppender(logged));
  }

  @Test
  void anAcceptedDeliveryNamesTheRepositoryWithoutItsCredentials() {
    HttpResponse<String> response = deliver("d-1", TRACKED);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).contains("\"accepted\"").contains(SHOWN);
    assertNoSecret(response.body());
    // The refresh it set off fails (nobody listens on port 9), and says so in the log.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> messages().stream().anyMatch(m -> m.contains("refreshing refs of " + SHOWN)));
    messages().forEach(this::assertNoSecret);
  }

  @Test
  void metricsNameTheRepositoryWithoutItsCredentials() {
    deliver("d-2", TRACKED);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> server.get("/metrics").body().contains("repository=\"" + SHOWN + "\""));

    assertNoSecret(server.get("/metrics").body());
  }

  @Test
  void anIgnoredDeliveryRepeatsNoCredentialsOfTheUrlsItNamed() {
    HttpResponse<String> response =
        deliver("d-3", "https://x-access-token:" + SECRET + "@github.com/acme/other.git");

    assertThat(response.body())
        .contains("no tracked repository matches https://github.com/acme/other.git");
    assertNoSecret(response.body());
    assertThat(messages()).anyMatch(m -> m.contains("https://github.com/acme/other.git"));
    messages().forEach(this::assertNoSecret);
  }

  @Test
  void aPingAnswerRepeatsNoCredentials() {
    HttpResponse<String> response = deliver("ping", "d-4", TRACKED);

    assertThat(response.body()).contains("\"pong\"").contains(SHOWN);
    assertNoSecret(response.body());
  }

  private void assertNoSecret(String text) {
    assertThat(text).doesNotContain(SECRET).doesNotContain("deploy:");
  }

  private List<String> messages() {
    // The appender adds under its own lock, from the server's threads.
    synchronized (logged) {
      return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  private HttpResponse<String> deliver(String deliveryId, String cloneUrl) {
    return deliver("push", deliveryId, cloneUrl);
  }

  private HttpResponse<String> deliver(String event, String deliveryId, String cloneUrl) {
    String body =
        "{\"ref\":\"refs/tags/v1.0.0\",\"repository\":{\"clone_url\":\"" + cloneUrl + "\"}}";
    return server.post(
        "/api/webhooks/github",
        body,
        "X-GitHub-Event",
        event,
        "X-GitHub-Delivery",
        deliveryId,
        "X-Hub-Signature-256",
        WebhookSecret.of(TestServer.SECRET).signatureOf(body.getBytes(StandardCharsets.UTF_8)));
  }
}
