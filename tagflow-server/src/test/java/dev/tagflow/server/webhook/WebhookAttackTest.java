package dev.tagflow.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.server.RawHttp;
import dev.tagflow.server.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook endpoints attacked by a sender without the secret: what can be refused from the
 * headers is refused before the body is read, a body is never held beyond its limit, and only a
 * bounded number of bodies is read at once, the rest being told to come back later.
 */
class WebhookAttackTest {

  private static final String TRACKED = "https://git.example.com/acme/app.git";
  private static final String PUSH =
      "{\"ref\":\"refs/heads/main\",\"repository\":{\"clone_url\":\"" + TRACKED + "\"}}";

  @TempDir Path temp;

  private TestServer server;
  private RawHttp raw;

  @BeforeEach
  void startServer() {
    server = TestServer.start(temp.resolve("data"), TRACKED);
    raw = new RawHttp(server.url());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void aBodyDeclaredLargerThanTheLimitIsRefusedBeforeItIsSent() {
    // Only the head is sent: a server that waited for the 30 MB would never answer.
    RawHttp.Answer answer =
        raw.send(
            "POST /api/webhooks/github HTTP/1.1\r\nX-GitHub-Event: push\r\n"
                + "X-Hub-Signature-256: sha256="
                + "0".repeat(64)
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + 30L * 1024 * 1024,
            new byte[0]);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.text()).contains("too_large");
  }

  @Test
  void aChunkedBodyLargerThanTheLimitIsCutOffWhileItArrives() throws IOException {
    try (Socket socket = new Socket(server.url().getHost(), server.url().getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/webhooks/github HTTP/1.1\r\nHost: x\r\nX-GitHub-Event: push\r\n"
                  + "X-Hub-Signature-256: sha256="
                  + "0".repeat(64)
                  + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[1024 * 1024];
      String size = Integer.toHexString(chunk.length) + "\r\n";
      try {
        for (int i = 0; i < 30; i++) {
          out.write(size.getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } catch (IOException closedByServer) {
        // The server stopped reading at the limit and closed the connection: as intended.
      }
      String answer = readWhatArrived(socket.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 413");
    }
  }

  @Test
  void aBogusSignatureIsRefusedAfterStreamingAndTriggersNothing() {
    byte[] body = (PUSH + " ".repeat(2 * 1024 * 1024)).getBytes(StandardCharsets.UTF_8);

    RawHttp.Answer answer =
        raw.post(
            "/api/webhooks/github",
            body,
            "X-GitHub-Event: push",
            "X-GitHub-Delivery: bogus-1",
            "Content-Type: application/json",
            "X-Hub-Signature-256: " + WebhookSecret.of("guessed").signatureOf(body));

    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.text()).contains("invalid_signature");
    assertThat(metric("tagflow_webhook_deliveries_total")).isEmpty();
    assertThat(metric("tagflow_webhook_buffered_bytes")).contains("0.0");
  }

  @Test
  void aMalformedSignatureOrTokenIsRefusedWithoutReadingTheBody() {
    for (String signature :
        List.of(
            "sha256=zz", "sha256=" + "0".repeat(63), "sha1=" + "0".repeat(40), "x".repeat(4000))) {
      // A declared body that never comes: only a refusal from the headers can answer.
      RawHttp.Answer answer =
          raw.send(
              "POST /api/webhooks/github HTTP/1.1\r\nX-GitHub-Event: push\r\n"
                  + "X-Hub-Signature-256: "
                  + signature
                  + "\r\nContent-Length: 1000000",
              new byte[0]);
      assertThat(answer.status()).as(signature).isEqualTo(401);
    }
    RawHttp.Answer gitlab =
        raw.send(
            "POST /api/webhooks/gitlab HTTP/1.1\r\nX-Gitlab-Token: guessed\r\nContent-Length: 1000000",
            new byte[0]);
    assertThat(gitlab.status()).isEqualTo(401);
    assertThat(gitlab.text()).contains("invalid_token");
  }

  @Test
  void beyondTheConcurrentBodiesLimitDeliveriesAreToldToComeBackLater() throws IOException {
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < WebhookBodies.DEFAULT_CONCURRENT; i++) {
        Socket socket = new Socket(server.url().getHost(), server.url().getPort());
        stalled.add(socket);
        socket
            .getOutputStream()
            .write(
                ("POST /api/webhooks/github HTTP/1.1\r\nHost: x\r\nX-GitHub-Event: push\r\n"
                        + "X-Hub-Signature-256: sha256="
                        + "0".repeat(64)
                        + "\r\nContent-Length: 1000000\r\n\r\n{\"ref\":")
                    .getBytes(StandardCharsets.US_ASCII));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> metric("tagflow_webhook_reading").contains(" 4.0"));

      RawHttp.Answer refused = signedDelivery("busy-1");

      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.text()).contains("Retry-After").contains("\"busy\"");
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metric("tagflow_webhook_reading").contains(" 0.0"));
    assertThat(signedDelivery("after-1").status()).isEqualTo(202);
  }

  @Test
  void deeplyNestedJsonWithAValidSignatureIsAMalformedPayload() {
    String nested = "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000);
    byte[] body = nested.getBytes(StandardCharsets.UTF_8);

    RawHttp.Answer answer =
        raw.post(
            "/api/webhooks/github",
            body,
            "X-GitHub-Event: push",
            "Content-Type: application/json",
            "X-Hub-Signature-256: " + WebhookSecret.of(TestServer.SECRET).signatureOf(body));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text()).contains("malformed_payload");
  }

  @Test
  void aFormBodyWithABrokenEscapeIsAMalformedPayload() {
    byte[] body = "payload=%zz%".getBytes(StandardCharsets.UTF_8);

    RawHttp.Answer answer =
        raw.post(
            "/api/webhooks/github",
            body,
            "X-GitHub-Event: push",
            "Content-Type: application/x-www-form-urlencoded",
            "X-Hub-Signature-256: " + WebhookSecret.of(TestServer.SECRET).signatureOf(body));

    assertThat(answer.status()).isEqualTo(400);
  }

  private RawHttp.Answer signedDelivery(String id) {
    byte[] body = PUSH.getBytes(StandardCharsets.UTF_8);
    return raw.post(
        "/api/webhooks/github",
        body,
        "X-GitHub-Event: push",
        "X-GitHub-Delivery: " + id,
        "Content-Type: application/json",
        "X-Hub-Signature-256: " + WebhookSecret.of(TestServer.SECRET).signatureOf(body));
  }

  /** The lines of /metrics for {@code name}, without its HELP and TYPE lines. */
  private String metric(String name) {
    return server
        .get("/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith(name))
        .reduce("", (a, b) -> a + b + "\n");
  }

  private static String readWhatArrived(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException reset) {
      return "";
    }
  }
}
