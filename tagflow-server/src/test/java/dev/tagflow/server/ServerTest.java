package dev.tagflow.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.eclipse.jetty.server.LowResourceMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTest {

  @TempDir Path temp;

  private TestServer server;

  @BeforeEach
  void startServer() {
    server = TestServer.start(temp.resolve("data"));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void jettysLowResourceMonitorLooksEveryTenSecondsNotEverySecond() {
    // Javalin adds the monitor with Jetty's period of 1 s, a third of an idle server's wake-ups.
    assertThat(server.daemon.server().jetty().getBeans(LowResourceMonitor.class))
        .isNotEmpty()
        .allSatisfy(
            monitor ->
                assertThat(monitor.getPeriod())
                    .isEqualTo(TagflowServer.LOW_RESOURCE_LOOK.toMillis()));
  }

  @Test
  void healthzAnswersOk() {
    HttpResponse<String> response = server.get("/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\":\"ok\"");
    assertThat(response.body()).contains("\"config\":null");
  }

  @Test
  void metricsAnswerPrometheusTextWithOurMeters() {
    server.post("/api/webhooks/github", "{}", "X-GitHub-Event", "push");

    HttpResponse<String> response = server.get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body())
        .contains("# TYPE tagflow_webhook_rejections_total counter")
        .contains(
            "tagflow_webhook_rejections_total"
                + "{provider=\"github\",reason=\"missing_signature\"} 1.0")
        .contains("tagflow_source_triggers_total{source=\"git-server\"}");
  }

  @Test
  void serverListensOnLoopbackOnAFreePort() {
    assertThat(server.url().getHost()).isEqualTo("127.0.0.1");
    assertThat(server.url().getPort()).isPositive();
  }
}
