package dev.tagflow.server.config;

import dev.tagflow.server.ServerConfig;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address and port the server binds, as {@code listen:} writes them: {@code 127.0.0.1:7070},
 * {@code 0.0.0.0:7070}, {@code [::1]:7070}, {@code localhost:0} (0 picks a free port).
 *
 * @param host a host name or an IP address, without brackets
 * @param port 0 to 65535
 */
public record ListenAddress(String host, int port) {

  private static final Pattern FORM =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^\\[\\]:\\s]+):(\\d{1,5})");

  /** Where the server listens unless told: loopback, so nothing is exposed by accident. */
  public static final ListenAddress DEFAULT =
      new ListenAddress(ServerConfig.DEFAULT_HOST, ServerConfig.DEFAULT_PORT);

  public ListenAddress {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
  }

  /** The address the text says, or empty when it is not {@code host:port} with a valid port. */
  public static Optional<ListenAddress> parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    int port = Integer.parseInt(m.group(2));
    if (port > 65535) {
      return Optional.empty();
    }
    String host = m.group(1).replace("[", "").replace("]", "");
    return Optional.of(new ListenAddress(host, port));
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
