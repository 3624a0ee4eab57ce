package dev.tagflow.local.cluster;

import dev.tagflow.local.LocalSetupException;
import dev.tagflow.local.process.ComponentProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Waiting for the programs of a starting cluster: each check, and the loop that polls them. */
final class Readiness {

  private static final Logger log = LoggerFactory.getLogger(Readiness.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private Readiness() {}

  static boolean etcdHealthy(int port) {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return response.statusCode() == 200 && response.body().contains("\"true\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether a program accepts connections on this loopback port. */
  static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean apiserverReady(KubernetesClient client) {
    try {
      return "ok".equals(client.raw("/readyz"));
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  /** A check that the API server could not answer yet counts as "not yet". */
  static boolean isTrue(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (KubernetesClientException e) {
      log.debug("not ready yet: {}", e.getMessage());
      return false;
    }
  }

  static void awaitUp(ComponentProcess process, BooleanSupplier ready, String what) {
    awaitAll(List.of(process), ready, what);
  }

  /** Waits until {@code ready}; fails at once, with its log, when one of the programs exits. */
  static void awaitAll(List<ComponentProcess> processes, BooleanSupplier ready, String what) {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (true) {
      for (ComponentProcess process : processes) {
        if (!process.isAlive()) {
          throw LocalSetupException.failed(
              process.name()
                  + " exited while waiting for "
                  + what
                  + ". Last lines of "
                  + process.log()
                  + ":\n"
                  + process.logTail());
        }
      }
      if (isTrue(ready)) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw LocalSetupException.failed(
            "timed out after "
                + START_TIMEOUT.toSeconds()
                + " s waiting for "
                + what
                + "; the programs' logs are in "
                + processes.getFirst().log().getParent());
      }
      try {
        TimeUnit.MILLISECONDS.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw LocalSetupException.failed("interrupted while waiting for " + what);
      }
    }
  }
}
