package dev.tagflow.cli;

import com.sun.net.httpserver.HttpServer;
import dev.tagflow.cli.client.ClientConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * The training run of the JDK's ahead-of-time cache ({@code -XX:AOTCacheOutput}, JEP 483/514/515):
 * runs the everyday local verbs in one JVM, in a scratch data directory, so that the cache holds
 * the classes they load and the profiles of the code they run. The build runs it after packaging
 * the jar; {@code ./tagflow} then starts with the cache. Usage: {@code StartupTraining
 * <scratch-dir>}.
 */
public final class StartupTraining {

  private StartupTraining() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: StartupTraining <scratch-dir>");
      System.exit(ExitCode.INVALID_INPUT);
    }
    Path scratch = Path.of(args[0]).toAbsolutePath();
    List<List<String>> commandLines = commandLines(scratch);
    StringWriter discarded = new StringWriter();
    PrintWriter sink = new PrintWriter(discarded);
    for (List<String> commandLine : commandLines) {
      Main.run(commandLine.toArray(String[]::new), sink, sink);
    }
    trainClient(sink);
    System.out.println(
        "tagflow: trained the start-up cache on " + commandLines.size() + " command lines");
  }

  /**
   * The client verbs against a stand-in server on loopback (the JDK's own HTTP server, answering a
   * list of two applications and a refusal), and the reading of a configuration file: what {@code
   * tagflow app list} loads, from the HTTP client to the table.
   */
  private static void trainClient(PrintWriter sink) throws IOException {
    ClientConfig.parse(
        Path.of("config.yaml"),
        """
        currentContext: "a"
        contexts:
          - name: "a"
            server: "http://127.0.0.1:7070"
            token: "tfa_training"
        """);
    String list =
        """
        {"items": [
          {"name": "web-production", "project": "shop", "environment": "production",
           "destination": {"cluster": "local", "namespace": "web-prod"},
           "source": {"repoURL": "http://127.0.0.1:7070/git/env.git", "targetRevision": "main",
             "path": "environments/production"},
           "sync": "Synced", "revision": "0123456789abcdef0123456789abcdef01234567",
           "health": "Healthy", "reconciledAt": "2026-01-01T00:00:00Z"}],
         "next": null}
        """;
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          boolean known = exchange.getRequestURI().getPath().equals("/api/v1/applications");
          byte[] body =
              (known
                      ? list
                      : "{\"error\":\"not_found\",\"message\":\"no application\",\"field\":\"name\",\"fix\":\"see the list\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(known ? 200 : 404, body.length);
          try (var out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      for (List<String> line :
          List.of(
              List.of("app", "list", "--server", url, "--token", "tfa_training"),
              List.of("app", "list", "--server", url, "--token", "tfa_training", "-o", "json"),
              List.of("app", "get", "web", "--server", url, "--token", "tfa_training"))) {
        Main.run(line.toArray(String[]::new), sink, sink);
      }
    } finally {
      server.stop(0);
    }
  }

  /** Every verb's help, and the local read-only verbs on a fresh data directory and checkout. */
  private static List<List<String>> commandLines(Path scratch) throws IOException {
    Path data = Files.createDirectories(scratch.resolve("data"));
    Path checkout = scratch.resolve("checkout");
    Path workflow = checkout.resolve(".github/workflows/release.yml");
    Files.createDirectories(workflow.getParent());
    Files.writeString(
        workflow,
        """
        on:
          push:
            tags: ["v*"]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: make test
        """);
    String dataDir = "--data-dir=" + data;
    List<List<String>> lines = new ArrayList<>();
    lines.add(List.of("--version"));
    lines.add(List.of("--help"));
    for (Class<?> verb : TagflowCommand.VERBS) {
      lines.add(List.of(verb.getAnnotation(Command.class).name(), "--help"));
    }
    lines.add(List.of("workflow", "validate", checkout.toString()));
    lines.add(List.of("workflow", "validate", checkout.toString(), "-o", "json"));
    lines.add(List.of("runs", "list", dataDir));
    lines.add(List.of("runs", "list", dataDir, "-o", "json"));
    lines.add(List.of("secret", "list", dataDir));
    lines.add(List.of("repo", "list", dataDir));
    lines.add(List.of("approvals", "list", dataDir));
    lines.add(List.of("no-such-verb"));
    return lines;
  }
}
