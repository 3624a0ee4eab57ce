package dev.tagflow.local.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.local.LocalSetupException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRegistryIT {

  @Test
  void startsOnLoopbackAnswersV2AndStopsItsProcess(@TempDir Path state) throws Exception {
    long pid;
    try (LocalRegistry registry = LocalRegistry.start(state, 15100, true)) {
      pid = registry.process().pid();
      try (HttpClient http = HttpClient.newHttpClient()) {
        HttpResponse<String> catalog =
            http.send(
                HttpRequest.newBuilder(URI.create(registry.url() + "/v2/_catalog")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(catalog.statusCode()).isEqualTo(200);
        assertThat(catalog.body()).contains("\"repositories\"");
      }
      assertThat(registry.address()).startsWith("127.0.0.1:");
      assertThat(registry.isReady()).isTrue();
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));
  }

  @Test
  void aMissingRegistryProgramIsAClearError(@TempDir Path state) {
    assertThatThrownBy(
            () -> LocalRegistry.start(state.resolve("nope/docker-registry"), state, 15100, true))
        .isInstanceOf(LocalSetupException.class)
        .hasMessageContaining("is not installed")
        .hasMessageContaining("apt-get install docker-registry");
  }
}
