package dev.tagflow.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files made by the real openssl; cookies become Secure; bad files are named. */
class TlsTest {

  @TempDir Path temp;
  Path cert;
  Path key;

  @BeforeEach
  void makeCertificate() throws Exception {
    cert = temp.resolve("cert.pem");
    key = temp.resolve("key.pem");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(openssl.exitValue()).as(output).isZero();
  }

  @Test
  void theServerSpeaksHttpsOnlyAndItsSessionCookieIsSecure() throws Exception {
    try (TestServer server = TestServer.withTls(temp.resolve("data"), new TlsFiles(cert, key));
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).build()) {
      assertThat(server.url().getScheme()).isEqualTo("https");
      HttpResponse<String> health =
          https.send(
              HttpRequest.newBuilder(server.url().resolve("/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);

      server.daemon.access().users().add("alice", "a long enough password");
      HttpResponse<String> login =
          https.send(
              HttpRequest.newBuilder(server.url().resolve("/api/v1/session"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"username\":\"alice\",\"password\":\"a long enough password\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(201);
      assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
          .contains("Secure")
          .contains("HttpOnly")
          .containsIgnoringCase("SameSite=Strict");

      // The TLS connector's header cache is case-sensitive too (AuthAttackTest says why): a token
      // whose prefix's case changed is refused after the real one on the same connection.
      String token =
          server.daemon.access().tokens().create("t-alice", "alice", Optional.empty()).text();
      assertThat(whoAmI(https, server, "Bearer " + token).statusCode()).isEqualTo(200);
      assertThat(whoAmI(https, server, "Bearer " + token.replace("tfa_", "tfA_")).statusCode())
          .isEqualTo(401);

      // Plain HTTP on the same port gets no HTTP answer.
      try (Socket socket = new Socket("127.0.0.1", server.url().getPort())) {
        socket.setSoTimeout(10_000);
        socket
            .getOutputStream()
            .write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] answer = readSome(socket.getInputStream());
        assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("200 OK");
      }
    }
  }

  private static HttpResponse<String> whoAmI(
      HttpClient https, TestServer server, String authorization) throws Exception {
    return https.send(
        HttpRequest.newBuilder(server.url().resolve("/api/v1/session"))
            .header("Authorization", authorization)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aKeyFileThatIsNoKeyIsRefusedNamingTheFileNotItsContent() throws Exception {
    Path notAKey = Files.writeString(temp.resolve("bad.pem"), "secret-material-123\n");
    assertThatThrownBy(() -> new TlsFiles(cert, notAKey).keyStore())
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining(notAKey.toString())
        .hasMessageNotContaining("secret-material-123");
    assertThatThrownBy(() -> new TlsFiles(notAKey, key).keyStore())
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("cannot read the TLS certificate " + notAKey);
  }

  @Test
  void aKeyOfAnotherAlgorithmThanTheCertificateIsRefused() throws Exception {
    Path rsa = temp.resolve("rsa.pem");
    Process openssl =
        new ProcessBuilder("openssl", "genrsa", "-out", rsa.toString(), "2048")
            .redirectErrorStream(true)
            .start();
    openssl.getInputStream().readAllBytes();
    assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> new TlsFiles(cert, rsa).keyStore())
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("does not belong to the certificate");
  }

  private static byte[] readSome(InputStream in) throws IOException {
    try {
      return in.readNBytes(200);
    } catch (IOException reset) {
      return new byte[0];
    }
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "server", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
