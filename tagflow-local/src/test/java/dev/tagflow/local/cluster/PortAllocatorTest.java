package dev.tagflow.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.local.LocalSetupException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

  @Test
  void aBusyPortIsSkipped() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int taken = busy.getLocalPort();

      int given = new PortAllocator(taken).next();

      assertThat(PortAllocator.isFree(taken)).isFalse();
      assertThat(given).isGreaterThan(taken);
      assertThat(PortAllocator.isFree(given)).isTrue();
    }
  }

  @Test
  void aPortIsHandedOutOnlyOnce() {
    PortAllocator ports = new PortAllocator(20000);

    int first = ports.next();
    int second = ports.next();

    assertThat(second).isGreaterThan(first);
  }

  @Test
  void aStartPortOutsideTheUnprivilegedRangeIsInvalidInput() {
    assertThatThrownBy(() -> new PortAllocator(80))
        .isInstanceOfSatisfying(
            LocalSetupException.class, e -> assertThat(e.invalidInput()).isTrue())
        .hasMessageContaining("outside 1024-65535");
  }
}
