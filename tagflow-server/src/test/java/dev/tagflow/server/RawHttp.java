package dev.tagflow.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Sends requests byte for byte as written, over a plain socket: HTTP clients normalise paths and
 * escape what an attacker would send as it is, so attack tests cannot use them.
 */
public final class RawHttp {

  private final String host;
  private final int port;

  public RawHttp(URI server) {
    this.host = server.getHost();
    this.port = server.getPort();
  }

  /** The answer's status code and whole text (head and body). */
  public record Answer(int status, String text) {}

  /** Sends {@code head} (request line and headers, without the blank line) and {@code body}. */
  public Answer send(String head, byte[] body) {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (head + "\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + head + ": " + e, e);
    }
  }

  /** A GET of {@code target} exactly as written (path and query). */
  public Answer get(String target, String... headers) {
    return send("GET " + target + " HTTP/1.1" + headerLines(headers), new byte[0]);
  }

  /** A POST of {@code target} exactly as written, with {@code body}. */
  public Answer post(String target, byte[] body, String... headers) {
    return send(
        "POST "
            + target
            + " HTTP/1.1"
            + headerLines(headers)
            + "\r\nContent-Length: "
            + body.length,
        body);
  }

  private static String headerLines(String... headers) {
    StringBuilder lines = new StringBuilder();
    for (String header : headers) {
      lines.append("\r\n").append(header);
    }
    return lines.toString();
  }

  static Answer read(InputStream in) throws IOException {
    String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    if (!text.startsWith("HTTP/1.")) {
      throw new AssertionError("not an HTTP answer: " + text);
    }
    return new Answer(Integer.parseInt(text.substring(9, 12)), text);
  }
}
