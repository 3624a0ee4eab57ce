package dev.tagflow.local.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The link's switches, in front of a loopback echo server. */
class FaultyLinkTest {

  private ServerSocket echo;

  @BeforeEach
  void startEcho() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket socket = echo.accept();
                  Thread.ofVirtual().start(() -> echoBack(socket));
                } catch (IOException e) {
                  return; // the test is over
                }
              }
            });
  }

  @AfterEach
  void stopEcho() throws IOException {
    echo.close();
  }

  @Test
  void aRefusingLinkRefusesEveryNewConnectionFromTheMomentItSaysSo() throws IOException {
    try (FaultyLink link = FaultyLink.to("http://127.0.0.1:" + echo.getLocalPort())) {
      for (int i = 0; i < 50; i++) {
        link.pass();
        try (Socket socket = connect(link.port())) {
          assertThat(roundTrip(socket, "ping " + i)).isEqualTo("ping " + i);
        }

        link.refuse();

        assertThatThrownBy(() -> connect(link.port()).close()).isInstanceOf(ConnectException.class);
      }
    }
  }

  @Test
  void resettingAnOpenConnectionResetsItForTheClient() throws IOException {
    try (FaultyLink link = FaultyLink.to("http://127.0.0.1:" + echo.getLocalPort());
        Socket socket = connect(link.port())) {
      assertThat(roundTrip(socket, "ping")).isEqualTo("ping");
      assertThat(link.openConnections()).isEqualTo(1);

      link.resetOpen();

      assertThat(link.openConnections()).isZero();
      assertThatThrownBy(() -> socket.getInputStream().read())
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    socket.setSoTimeout(5_000);
    return socket;
  }

  private static String roundTrip(Socket socket, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    socket.getOutputStream().write(bytes);
    byte[] back = socket.getInputStream().readNBytes(bytes.length);
    return new String(back, StandardCharsets.UTF_8);
  }

  private static void echoBack(Socket socket) {
    try (socket;
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // the peer went away: nothing more to echo
    }
  }
}
