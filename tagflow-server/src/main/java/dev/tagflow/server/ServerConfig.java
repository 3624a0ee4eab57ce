package dev.tagflow.server;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the server listens and keeps its files.
 *
 * @param host the address to bind; loopback by default so nothing is exposed by accident
 * @param port the TCP port; 0 picks a free one (tests)
 * @param dataDir Tagflow's data directory; hosted Git repositories live in {@code <dataDir>/git}
 * @param publicUrl the URL clients use to reach this server, when it differs from the bound address
 *     (behind a proxy); it is the key of hosted repositories in ref events
 */
public record ServerConfig(String host, int port, Path dataDir, Optional<URI> publicUrl) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7070;

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(publicUrl, "publicUrl");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
  }

  /** A server on loopback with the given port and data directory. */
  public static ServerConfig onLoopback(int port, Path dataDir) {
    return new ServerConfig(DEFAULT_HOST, port, dataDir, Optional.empty());
  }

  /** The directory of hosted bare repositories. */
  public Path gitRoot() {
    return dataDir.resolve("git");
  }

  /** The base URL for a server bound to {@code boundPort}: the public URL if one is set. */
  public URI baseUrl(int boundPort) {
    if (publicUrl.isPresent()) {
      return publicUrl.get();
    }
    // A wildcard bind is reachable on loopback; an IPv6 literal needs brackets in a URL.
    String reachable = host.equals("0.0.0.0") || host.equals("::") ? DEFAULT_HOST : host;
    String literal = reachable.contains(":") ? "[" + reachable + "]" : reachable;
    return URI.create("http://" + literal + ":" + boundPort);
  }
}
