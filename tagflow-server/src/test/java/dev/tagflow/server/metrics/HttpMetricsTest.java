package dev.tagflow.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.server.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP requests of a real server counted by route template, never by the path asked for. */
class HttpMetricsTest {

  @TempDir Path temp;

  @Test
  void requestsAreCountedByRouteTemplateAndAnUnknownPathNeverBecomesALabel() {
    try (TestServer server = TestServer.start(temp)) {
      assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(server.get("/api/repos/tf_secret_in_a_path_0123").statusCode()).isEqualTo(404);
      assertThat(server.post("/api/webhooks/github", "{}", "X-GitHub-Event", "push").statusCode())
          .isEqualTo(401);

      String scrape = server.get("/metrics").body();

      assertThat(scrape)
          .contains(
              "tagflow_http_server_requests_seconds_count{method=\"GET\",route=\"/healthz\","
                  + "status=\"200\"} 2")
          .contains(
              "tagflow_http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\","
                  + "status=\"404\"} 1")
          .contains(
              "tagflow_http_server_requests_seconds_count{method=\"POST\","
                  + "route=\"/api/webhooks/github\",status=\"401\"} 1")
          .contains("tagflow_http_server_requests_seconds_max{")
          .doesNotContain("tf_secret_in_a_path_0123");
    }
  }
}
