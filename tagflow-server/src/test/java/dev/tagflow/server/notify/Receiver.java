package dev.tagflow.server.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver as a team would run one: the JDK's HTTP server on loopback, answering each
 * request with the next status of a script (then 200), and verifying signatures as docs/
 * notifications.md tells receivers to.
 */
public final class Receiver implements AutoCloseable {

  /** One request as received. */
  public record Received(Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  public final List<Received> requests = new CopyOnWriteArrayList<>();
  private final Queue<Integer> script = new ConcurrentLinkedQueue<>();
  private final HttpServer server;
  private volatile IntSupplier gate = () -> 0;

  private Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          String body;
          try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          Map<String, String> headers = new TreeMap<>();
          exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
          requests.add(new Received(headers, body));
          gate.getAsInt();
          Integer status = script.poll();
          exchange.sendResponseHeaders(status == null ? 200 : status, -1);
          exchange.close();
        });
    server.start();
  }

  public static Receiver start() throws IOException {
    return new Receiver();
  }

  /** Answers the next requests with these statuses, then 200. */
  public Receiver answering(Integer... statuses) {
    script.addAll(List.of(statuses));
    return this;
  }

  /** Runs before each answer: lets a test hold the receiver. */
  public Receiver holding(IntSupplier gate) {
    this.gate = gate;
    return this;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/tagflow");
  }

  /**
   * Whether the request is signed with the key, as a receiver checks it: HMAC-SHA256 of {@code
   * <timestamp>.<body>}, compared in constant time, the timestamp within five minutes of now.
   */
  public static boolean verifies(Received request, String key, Instant now) {
    String timestamp = request.header("X-Tagflow-Timestamp");
    String signature = request.header("X-Tagflow-Signature-256");
    if (timestamp == null || signature == null || !signature.startsWith("sha256=")) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - Long.parseLong(timestamp)) > 300) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] expected =
          mac.doFinal((timestamp + "." + request.body()).getBytes(StandardCharsets.UTF_8));
      byte[] given = HexFormat.of().parseHex(signature.substring("sha256=".length()));
      return MessageDigest.isEqual(expected, given);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
