package dev.tagflow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tagflow.TagflowException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RemoteAccessTest {

  private static final String SECRET = "s3cret-4b7e";

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private String base;

  /** A Git host that wants a login and refuses every one, remembering what it was sent. */
  @BeforeEach
  void startAHostThatAsksForALogin() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String authorization = exchange.getRequestHeaders().getFirst("Authorization");
          if (authorization != null) {
            authorizations.add(authorization);
          }
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
          exchange.sendResponseHeaders(401, -1);
          exchange.close();
        });
    server.start();
    base = "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void credentialsInAUrlAreSentAsALoginAndShownNowhere() {
    try (RemoteAccess remotes = RemoteAccess.anonymous(meters)) {
      String url = "http://deploy:" + SECRET + "@" + base + "/shop/web.git";

      assertThatThrownBy(() -> remotes.advertisedRefs(url))
          .isInstanceOf(TagflowException.class)
          .hasMessageContaining("cannot reach repository http://" + base + "/shop/web.git")
          .hasMessageNotContaining(SECRET)
          .hasMessageNotContaining("deploy")
          .satisfies(e -> assertThat(causes(e)).doesNotContain(SECRET));
    }

    assertThat(authorizations).isNotEmpty();
    assertThat(decoded(authorizations.getFirst())).isEqualTo("deploy:" + SECRET);
    assertThat(meters.getMeters())
        .flatMap(meter -> meter.getId().getTags())
        .allSatisfy(tag -> assertThat(tag.getValue()).doesNotContain(SECRET));
  }

  @Test
  void configuredCredentialsAreFoundByTheUrlWithoutCredentialsAndWinOverThoseInIt()
      throws Exception {
    Path token = Files.createTempFile("token", "");
    Files.writeString(token, "configured-token\n");
    String plain = "http://" + base + "/shop/web.git";
    try (RemoteAccess remotes =
        new RemoteAccess(
            url -> url.equals(plain) ? new RepoCredentials.Token(token) : RepoCredentials.none(),
            Duration.ofSeconds(10),
            meters)) {
      assertThatThrownBy(
          () -> remotes.advertisedRefs("http://deploy:" + SECRET + "@" + base + "/shop/web.git"));
    } finally {
      Files.delete(token);
    }

    assertThat(decoded(authorizations.getFirst())).isEqualTo("x-access-token:configured-token");
  }

  @Test
  void aTokenAsUserIsSentWithAnEmptyPassword() {
    try (RemoteAccess remotes = RemoteAccess.anonymous(meters)) {
      String url = "http://" + SECRET + "@" + base + "/shop/web.git";

      assertThatThrownBy(() -> remotes.advertisedRefs(url))
          .hasMessageNotContaining(SECRET)
          .satisfies(e -> assertThat(causes(e)).doesNotContain(SECRET));
    }

    assertThat(decoded(authorizations.getFirst())).isEqualTo(SECRET + ":");
  }

  @Test
  void percentEncodedCredentialsAreSentDecoded() {
    try (RemoteAccess remotes = RemoteAccess.anonymous(meters)) {
      String url = "http://me%40corp.com:a%2Bb%3Ac+d@" + base + "/shop/web.git";

      assertThatThrownBy(() -> remotes.advertisedRefs(url)).hasMessageNotContaining("a%2Bb");
    }

    assertThat(decoded(authorizations.getFirst())).isEqualTo("me@corp.com:a+b:c+d");
  }

  /** Every message of the failure's causes, as a log line with its stack trace would show them. */
  private static String causes(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      text.append(t).append('\n');
    }
    return text.toString();
  }

  private static String decoded(String basicAuthorization) {
    return new String(
        Base64.getDecoder().decode(basicAuthorization.substring("Basic ".length())),
        StandardCharsets.UTF_8);
  }
}
