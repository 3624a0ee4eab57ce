package dev.tagflow.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.local.process.ComponentProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSetupTest {

  @TempDir Path data;

  @Test
  void aPortInUseIsSkipped() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = DemoSetup.freePort(taken.getLocalPort());

      assertThat(port).isGreaterThan(taken.getLocalPort());
      try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(free.isBound()).isTrue();
      }
    }
  }

  @Test
  void cleaningStopsWhatAnEarlierDemoLeftRunningAndRemovesItsFiles() throws Exception {
    Path home = data.resolve("demo");
    ComponentProcess left = ComponentProcess.launch("sleeper", List.of("sleep", "300"), home);
    Files.writeString(home.resolve("tagflow.yaml"), "listen: 127.0.0.1:17070\n");

    List<ComponentProcess> stopped = new DemoSetup(data, "demo").clean();

    assertThat(stopped).extracting(ComponentProcess::name).containsExactly("sleeper");
    ProcessHandle.of(left.pid()).ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
    assertThat(left.isAlive()).isFalse();
    assertThat(home).doesNotExist();
  }
}
