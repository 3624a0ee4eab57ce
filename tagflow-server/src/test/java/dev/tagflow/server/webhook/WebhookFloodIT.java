package dev.tagflow.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack that used to exhaust the server's heap, performed for real: the {@code tagflow server}
 * process with a 256 MB heap receives 24 webhook deliveries of 25 MB at once, each with a bogus
 * signature, and must refuse every one and keep serving.
 */
class WebhookFloodIT {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final int PARALLEL = 24;
  private static final int BODY = 25 * 1024 * 1024;

  @TempDir Path temp;

  private Process server;
  private final StringBuilder output = new StringBuilder();

  @AfterEach
  void stopServer() throws InterruptedException {
    if (server != null) {
      server.destroy();
      server.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void twentyFourBogusDeliveriesOfTwentyFiveMegabytesLeaveA256MegabyteServerServing()
      throws Exception {
    Path secret = temp.resolve("secret");
    Files.writeString(secret, "the real secret\n");
    URI url = startServer(secret);

    List<Integer> statuses = new ArrayList<>();
    try (ExecutorService senders = Executors.newFixedThreadPool(PARALLEL)) {
      List<Future<Integer>> sent = new ArrayList<>();
      for (int i = 0; i < PARALLEL; i++) {
        sent.add(senders.submit(() -> bogusDelivery(url)));
      }
      for (Future<Integer> status : sent) {
        statuses.add(status.get(5, TimeUnit.MINUTES));
      }
    }

    // 401: read in full and refused; 503: refused before reading; 0: the server closed the
    // connection after its 503 while the client was still writing the body.
    assertThat(statuses).allSatisfy(status -> assertThat(status).isIn(401, 503, 0));
    assertThat(statuses).contains(401);
    assertThat(server.isAlive()).as(output.toString()).isTrue();
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(url.resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    synchronized (output) {
      assertThat(output.toString()).doesNotContain("OutOfMemoryError");
    }
  }

  private URI startServer(Path secret) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-jar",
                Path.of("target", "tagflow.jar").toAbsolutePath().toString(),
                "server",
                "--port",
                "0",
                "--data-dir",
                temp.resolve("data").toString(),
                "--webhook-secret-file",
                secret.toString())
            .redirectErrorStream(true);
    server = builder.start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    URI url = null;
    String line;
    while (url == null && (line = lines.readLine()) != null) {
      output.append(line).append('\n');
      Matcher matcher = LISTENING.matcher(line);
      if (matcher.find()) {
        url = URI.create(matcher.group(1));
      }
    }
    assertThat(url).as("the server did not start:\n" + output).isNotNull();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                String more;
                while ((more = lines.readLine()) != null) {
                  synchronized (output) {
                    output.append(more).append('\n');
                  }
                }
              } catch (IOException closed) {
                // The server stopped.
              }
            });
    return url;
  }

  /** Sends one 25 MB delivery signed with the wrong secret; the answer's status, 0 if none. */
  private static int bogusDelivery(URI url) {
    byte[] chunk = new byte[1024 * 1024];
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket.setSoTimeout(120_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/webhooks/github HTTP/1.1\r\nHost: x\r\nX-GitHub-Event: push\r\n"
                  + "X-Hub-Signature-256: sha256="
                  + "ab".repeat(32)
                  + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                  + BODY
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      try {
        for (int sent = 0; sent < BODY; sent += chunk.length) {
          out.write(chunk);
        }
        out.flush();
      } catch (IOException closedEarly) {
        // Refused before the body was read; the answer may still be there to read.
      }
      return status(socket.getInputStream());
    } catch (IOException e) {
      return 0;
    }
  }

  private static int status(InputStream in) {
    try {
      byte[] head = in.readNBytes(12);
      String line = new String(head, StandardCharsets.US_ASCII);
      return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : 0;
    } catch (IOException reset) {
      return 0;
    }
  }
}
