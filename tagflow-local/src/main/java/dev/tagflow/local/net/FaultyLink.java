package dev.tagflow.local.net;

import dev.tagflow.local.LocalSetupException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP proxy in front of a server (the API server), which a test switches between passing
 * bytes, refusing new connections, resetting open ones and delaying what it forwards. It never
 * looks into the bytes, so TLS passes through: a client that trusts the server trusts it through
 * the link, because the server's certificate names 127.0.0.1 whatever the port.
 *
 * <p>Refusing closes the listening port, so a new connection is refused by the kernel (what a
 * stopped API server looks like); {@link #pass} listens on the same port again.
 */
public final class FaultyLink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FaultyLink.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final InetSocketAddress target;
  private final String scheme;
  private final int port;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private volatile Duration delay = Duration.ZERO;
  private ServerSocket listener;
  private Thread acceptor;
  private boolean closed;

  private FaultyLink(String scheme, InetSocketAddress target) {
    this.scheme = scheme;
    this.target = target;
    this.listener = listen(0);
    this.port = listener.getLocalPort();
    this.acceptor = acceptOn(listener);
  }

  /**
   * A link to the server at {@code url} ({@code https://127.0.0.1:16443}), passing from the start.
   */
  public static FaultyLink to(String url) {
    URI uri = URI.create(url);
    return new FaultyLink(uri.getScheme(), new InetSocketAddress(uri.getHost(), uri.getPort()));
  }

  /** The link's own URL: the server's, with the link's port. */
  public String url() {
    return scheme + "://127.0.0.1:" + port;
  }

  /** The port the link listens on (the same after refusing and passing again). */
  public int port() {
    return port;
  }

  /** How many connections are open through the link now. */
  public int openConnections() {
    return open.size();
  }

  /** Forwards everything at once, accepting new connections (listening again if it refused). */
  public synchronized void pass() {
    delay = Duration.ZERO;
    ensureListening();
  }

  /** Forwards everything, each chunk after {@code each} (both ways), as a slow server would. */
  public synchronized void delay(Duration each) {
    delay = each;
    ensureListening();
  }

  /** New connections are refused (the port is closed); open ones are left alone. */
  public synchronized void refuse() {
    if (listener != null) {
      closeQuietly(listener);
      // A socket closed while a thread waits in accept() is released only once that thread has
      // left it; until then the kernel still completes new connections.
      awaitEnd(acceptor);
      listener = null;
      acceptor = null;
      log.info("link :{} refuses new connections", port);
    }
  }

  /** Every open connection is reset (an RST to the client); new ones are still accepted. */
  public void resetOpen() {
    List<Connection> reset = List.copyOf(open);
    for (Connection connection : reset) {
      connection.reset();
      connection.pumps.forEach(Thread::interrupt); // one may be sleeping out a delay
    }
    // As with the listener, a socket is really closed (the RST sent) once its pumps left read().
    for (Connection connection : reset) {
      connection.pumps.forEach(FaultyLink::awaitEnd);
    }
    log.info("link :{} reset {} open connections", port, reset.size());
  }

  /** The server becomes unreachable: new connections refused, open ones reset. */
  public synchronized void cut() {
    refuse();
    resetOpen();
  }

  @Override
  public synchronized void close() {
    closed = true;
    refuse();
    resetOpen();
  }

  private void ensureListening() {
    if (closed) {
      throw new IllegalStateException("the link is closed");
    }
    if (listener == null) {
      listener = listen(port);
      acceptor = acceptOn(listener);
      log.info("link :{} accepts connections again", port);
    }
  }

  private static ServerSocket listen(int port) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return socket;
    } catch (IOException e) {
      throw LocalSetupException.failed("the link could not listen on 127.0.0.1:" + port, e);
    }
  }

  private static void awaitEnd(Thread thread) {
    try {
      if (!thread.join(Duration.ofSeconds(10))) {
        throw new IllegalStateException("the link's acceptor did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing the link's port", e);
    }
  }

  private Thread acceptOn(ServerSocket socket) {
    return Thread.ofVirtual()
        .name("faulty-link-accept-" + port)
        .start(
            () -> {
              while (!socket.isClosed()) {
                Socket client;
                try {
                  client = socket.accept();
                } catch (IOException e) {
                  return; // refused or closed: this listener is done
                }
                connect(client);
              }
            });
  }

  private void connect(Socket client) {
    Socket server = new Socket();
    try {
      server.connect(target, CONNECT_TIMEOUT_MILLIS);
    } catch (IOException e) {
      closeQuietly(server);
      resetQuietly(client);
      return;
    }
    Connection connection = new Connection(client, server);
    open.add(connection);
    connection.pumps.add(Thread.ofVirtual().start(() -> connection.pump(client, server)));
    connection.pumps.add(Thread.ofVirtual().start(() -> connection.pump(server, client)));
  }

  /** One client's connection and the link's connection to the server on its behalf. */
  private final class Connection {
    private final Socket client;
    private final Socket server;
    private final AtomicInteger directionsEnded = new AtomicInteger();
    private final List<Thread> pumps = new CopyOnWriteArrayList<>();

    Connection(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void pump(Socket from, Socket to) {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream()) {
        OutputStream out = to.getOutputStream();
        int read;
        while ((read = in.read(buffer)) >= 0) {
          Duration wait = delay;
          if (!wait.isZero()) {
            Thread.sleep(wait);
          }
          out.write(buffer, 0, read);
          out.flush();
        }
        to.shutdownOutput(); // pass the end of the stream on, as the peer sent it
        if (directionsEnded.incrementAndGet() == 2) {
          open.remove(this);
          closeQuietly(client);
          closeQuietly(server);
        }
      } catch (IOException e) {
        reset();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reset();
      }
    }

    void reset() {
      open.remove(this);
      resetQuietly(client);
      closeQuietly(server);
    }
  }

  private static void resetQuietly(Socket socket) {
    try {
      socket.setSoLinger(true, 0); // closing now sends an RST instead of a FIN
    } catch (SocketException e) {
      // already closed: nothing to reset
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      log.debug("closing {}: {}", closeable, e.toString());
    }
  }
}
