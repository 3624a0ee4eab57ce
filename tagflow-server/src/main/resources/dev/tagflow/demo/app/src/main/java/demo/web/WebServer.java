package demo.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The demo's web service: GET / answers the greeting, GET /healthz answers ok. */
public final class WebServer {

  private WebServer() {}

  public static void main(String[] args) throws IOException {
    Greeting greeting =
        new Greeting(
            System.getenv().getOrDefault("VERSION", "dev"),
            System.getenv().getOrDefault("ENVIRONMENT", "local"));
    HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
    server.createContext("/healthz", exchange -> answer(exchange, 200, "ok\n"));
    server.createContext("/", exchange -> answer(exchange, 200, greeting.text()));
    server.start();
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
