package dev.tagflow.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * An HTTP proxy on loopback that rewrites each request line before passing it on, as a reverse
 * proxy that normalises or re-encodes paths does; one request per connection.
 */
public final class RewritingProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final URI target;
  private final UnaryOperator<String> rewrite;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  public RewritingProxy(URI target, UnaryOperator<String> rewrite) throws IOException {
    this.target = target;
    this.rewrite = rewrite;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    threads.execute(this::accept);
  }

  /** The base URL that reaches the server through this proxy. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        threads.execute(() -> serve(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client;
        Socket server = new Socket(target.getHost(), target.getPort())) {
      InputStream in = client.getInputStream();
      String head = readHead(in);
      int lineEnd = head.indexOf("\r\n");
      String requestLine = rewrite.apply(head.substring(0, lineEnd));
      // One request per connection: the server closes after answering, and so does the proxy.
      String headers =
          head.substring(lineEnd)
              .replaceAll("(?im)^connection:[^\r]*\r\n", "")
              .replaceFirst("\r\n\r\n$", "\r\nConnection: close\r\n\r\n");
      OutputStream toServer = server.getOutputStream();
      toServer.write((requestLine + headers).getBytes(StandardCharsets.ISO_8859_1));
      toServer.flush();
      threads.execute(() -> pipe(in, toServer));
      server.getInputStream().transferTo(client.getOutputStream());
    } catch (IOException e) {
      // The client or the server went away: nothing to pass on.
    }
  }

  private static void pipe(InputStream in, OutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException closed) {
      // The other side closed the connection.
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before the request head ended");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    listener.close();
    threads.shutdownNow();
  }
}
