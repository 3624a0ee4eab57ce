package dev.tagflow.pipeline.image;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * Which registries of a build may be reached without verified HTTPS, and a check of the others.
 *
 * <p>Jib allows plain HTTP (and unverified HTTPS) for a whole build or not at all. When a build
 * needs it for one registry (loopback, or one the spec lists as insecure), every other registry of
 * the build is first checked to answer over verified HTTPS; one that does not is refused before Jib
 * talks to it, so allowing one registry never downgrades another.
 */
final class RegistryAccess {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  private final Set<String> insecure;

  RegistryAccess(Collection<String> insecureRegistries) {
    this.insecure =
        insecureRegistries.stream()
            .map(r -> r.toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
  }

  /** Whether plain HTTP or an unverified certificate is acceptable for {@code registry}. */
  boolean mayBeInsecure(String registry) {
    String lower = registry.toLowerCase(Locale.ROOT);
    return isLoopback(hostOf(lower))
        || insecure.contains(lower)
        || insecure.contains(hostOf(lower));
  }

  /**
   * Decides whether the build may allow insecure connections, after checking that every registry
   * that must be secure answers over verified HTTPS.
   *
   * @throws ImageBuildException when a registry that must be secure is not
   */
  boolean allowInsecure(List<String> registries) {
    registries.stream().filter(r -> !mayBeInsecure(r)).distinct().forEach(this::requireHttps);
    return registries.stream().anyMatch(this::mayBeInsecure);
  }

  /** The message for a registry reached without verified HTTPS. */
  static String insecureMessage(String registry) {
    return "the registry "
        + registry
        + " does not answer over HTTPS with a certificate this host trusts, and Tagflow refuses"
        + " plain HTTP and unverified HTTPS except to a loopback registry (127.0.0.1, ::1,"
        + " localhost) or one listed in insecureRegistries. Serve the registry over HTTPS, or, if"
        + " the network to it is trusted, add "
        + registry
        + " to insecureRegistries";
  }

  private void requireHttps(String registry) {
    URI v2 = URI.create("https://" + registry + "/v2/");
    // The JVM's proxy settings, as Jib's own client uses them.
    try (HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(PROBE_TIMEOUT)
            .proxy(ProxySelector.getDefault())
            .build()) {
      // Any HTTP answer (401 included) proves verified TLS; only the handshake matters here.
      http.send(
          HttpRequest.newBuilder(v2).timeout(PROBE_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (SSLException e) {
      throw new ImageBuildException(
          ImageBuildException.Failure.INSECURE_REFUSED, insecureMessage(registry));
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new ImageBuildException(
          ImageBuildException.Failure.REGISTRY_UNREACHABLE, unreachableMessage(registry, e));
    } catch (HttpTimeoutException e) {
      throw new ImageBuildException(
          ImageBuildException.Failure.REGISTRY_UNREACHABLE, unreachableMessage(registry, e));
    } catch (IOException e) {
      // The JDK reports a plain-HTTP answer to a TLS hello as an IOException wrapping SSLException.
      if (hasSslCause(e)) {
        throw new ImageBuildException(
            ImageBuildException.Failure.INSECURE_REFUSED, insecureMessage(registry));
      }
      throw new ImageBuildException(
          ImageBuildException.Failure.REGISTRY_UNREACHABLE, unreachableMessage(registry, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException(
          ImageBuildException.Failure.REGISTRY_UNREACHABLE,
          "interrupted while checking the registry " + registry);
    }
  }

  static String unreachableMessage(String registry, Throwable cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return "could not reach the registry "
        + registry
        + " ("
        + why
        + "); check the host and port in the image reference, that the registry runs, and that"
        + " this host can connect to it";
  }

  private static boolean hasSslCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  /** The host of {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}. */
  static String hostOf(String registry) {
    if (registry.startsWith("[")) {
      int end = registry.indexOf(']');
      return end < 0 ? registry : registry.substring(1, end);
    }
    int colon = registry.lastIndexOf(':');
    return colon < 0 ? registry : registry.substring(0, colon);
  }

  /**
   * Loopback by its literal name only: a DNS answer must not be able to turn a remote registry into
   * one that may be reached over plain HTTP.
   */
  static boolean isLoopback(String host) {
    if (host.equals("localhost") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }
}
