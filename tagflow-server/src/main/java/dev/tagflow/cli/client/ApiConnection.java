package dev.tagflow.cli.client;

import dev.tagflow.cli.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client's one way to a Tagflow server: the JDK's {@link HttpURLConnection} (HTTP/1.1, no
 * proxy, redirects not followed, trusting {@code --ca-file} when given), a bearer token or a
 * session cookie (with its CSRF token on changes), and every failure turned into a {@link
 * ClientFailure} with its exit code and a message that says what to do. The credentials are never
 * part of a message.
 */
public final class ApiConnection implements AutoCloseable {

  /** How long a connection may take to open. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** How long one answer may take: a diff dry-runs every object of an application. */
  static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  /** How the requests prove who sends them. */
  public sealed interface Credentials {
    /** {@code Authorization: Bearer <token>}. */
    record Token(String token) implements Credentials {
      @Override
      public String toString() {
        return "Token[****]";
      }
    }

    /** The web UI's session cookie, and its CSRF token on changes. */
    record Session(String cookieName, String cookie, String csrfToken) implements Credentials {
      @Override
      public String toString() {
        return "Session[****]";
      }
    }

    /** None: only the public routes answer. */
    record None() implements Credentials {}
  }

  /** An answer the server gave: its status, body and headers. */
  public record Answer(int status, String body, Map<String, List<String>> headers) {
    /** The body as JSON (a map for the API's objects). */
    public Object json(URI server) {
      try {
        return JsonText.parse(body);
      } catch (IllegalArgumentException e) {
        throw new ClientFailure(
            ExitCode.FAILED,
            server
                + " answered "
                + status
                + " with a body that is not JSON ("
                + e.getMessage()
                + "); is that a Tagflow server's URL?");
      }
    }
  }

  private final URI server;
  private final Credentials credentials;
  private final Optional<SSLSocketFactory> trusted;

  // HttpURLConnection rather than java.net.http.HttpClient: for a plain http:// server it loads no
  // TLS or security provider classes and starts no selector thread: 951 classes fewer at
  // each start of a client verb (BENCHMARKS.md, "app list against a local server").
  public ApiConnection(URI server, Credentials credentials, Optional<Path> caFile) {
    // HttpURLConnection sends a POST again, once, when a kept-alive connection breaks under it: a
    // sync, an approval or a re-run must never be asked for twice. Read when its first connection
    // is made, which is after this in the command line's process.
    System.setProperty("sun.net.http.retryPost", "false");
    this.server = server;
    this.credentials = credentials;
    this.trusted = caFile.map(file -> trusting(file).getSocketFactory());
  }

  public URI server() {
    return server;
  }

  /** GET of an API path; the answer's JSON, or the server's refusal as a failure. */
  public Map<String, Object> get(String path) {
    return object(send("GET", path, Optional.empty()));
  }

  /** POST of a JSON body; the answer's JSON, or the server's refusal as a failure. */
  public Map<String, Object> post(String path, Map<String, Object> body) {
    return object(send("POST", path, Optional.of(JsonText.write(body))));
  }

  /** DELETE of an API path; only whether it was done matters. */
  public void delete(String path) {
    send("DELETE", path, Optional.empty());
  }

  /** A request whose answer is returned as it is, refusals included (the login reads headers). */
  public Answer exchange(String method, String path, Optional<String> body) {
    HttpURLConnection http;
    try {
      http = (HttpURLConnection) server.resolve(path).toURL().openConnection(Proxy.NO_PROXY);
    } catch (IOException | IllegalArgumentException e) {
      throw new ClientFailure(
          ExitCode.INVALID_INPUT, "cannot make a request to " + server + ": " + rootMessage(e));
    }
    if (http instanceof HttpsURLConnection https && trusted.isPresent()) {
      https.setSSLSocketFactory(trusted.get());
    }
    http.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
    http.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
    http.setInstanceFollowRedirects(false);
    http.setUseCaches(false);
    try {
      http.setRequestMethod(method);
    } catch (ProtocolException e) {
      throw new IllegalArgumentException("not an HTTP method this client sends: " + method, e);
    }
    http.setRequestProperty("Accept", "application/json");
    body.ifPresent(b -> http.setRequestProperty("Content-Type", "application/json"));
    switch (credentials) {
      case Credentials.Token token ->
          http.setRequestProperty("Authorization", "Bearer " + token.token());
      case Credentials.Session session -> {
        http.setRequestProperty("Cookie", session.cookieName() + "=" + session.cookie());
        if (!method.equals("GET")) {
          http.setRequestProperty("X-CSRF-Token", session.csrfToken());
        }
      }
      case Credentials.None none -> {}
    }
    // A change is sent with its length (zero when it has no body). Not in streaming mode: there
    // the JDK throws away a 401 answer, and the refusal's message with it.
    byte[] bytes = body.map(b -> b.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
    boolean sendsBody = body.isPresent() || method.equals("POST") || method.equals("PUT");
    try {
      try {
        if (sendsBody) {
          http.setDoOutput(true);
        }
        http.connect();
      } catch (SocketTimeoutException e) {
        throw new ClientFailure(
            ExitCode.UNREACHABLE,
            "cannot reach "
                + server
                + ": no connection within "
                + CONNECT_TIMEOUT.toSeconds()
                + " s: is the host reachable?");
      }
      if (sendsBody) {
        try (OutputStream out = http.getOutputStream()) {
          out.write(bytes);
        }
      }
      int status = http.getResponseCode();
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      http.getHeaderFields()
          .forEach(
              (name, values) -> {
                if (name != null) { // the status line
                  headers.put(name, values);
                }
              });
      return new Answer(status, read(http, status), Collections.unmodifiableMap(headers));
    } catch (SocketTimeoutException e) {
      throw new ClientFailure(
          ExitCode.UNREACHABLE,
          "cannot reach "
              + server
              + ": no answer within "
              + REQUEST_TIMEOUT.toMinutes()
              + " minutes");
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /** The answer's body, whether the server accepted the request or refused it. */
  private static String read(HttpURLConnection http, int status) throws IOException {
    InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream();
    if (in == null) {
      return "";
    }
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Answer send(String method, String path, Optional<String> body) {
    Answer answer = exchange(method, path, body);
    if (answer.status() >= 200 && answer.status() < 300) {
      return answer;
    }
    throw refusal(answer);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> object(Answer answer) {
    if (answer.body().isEmpty()) {
      return Map.of();
    }
    if (answer.json(server) instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new ClientFailure(
        ExitCode.FAILED, server + " answered JSON that is not an object; is it a Tagflow server?");
  }

  /**
   * The server's {@code {error, message, field?, fix}} as a person reads it, with its exit code.
   */
  public ClientFailure refusal(Answer answer) {
    String message;
    String fix = "";
    String error = "";
    Object json;
    try {
      json = JsonText.parse(answer.body());
    } catch (IllegalArgumentException e) {
      json = null;
    }
    if (json instanceof Map<?, ?> body && body.get("message") instanceof String text) {
      message = text;
      error = body.get("error") instanceof String e ? e : "";
      if (body.get("field") instanceof String field && answer.status() != 404) {
        message += " (field '" + field + "')";
      }
      if (body.get("fix") instanceof String f && !f.isBlank()) {
        fix = f;
      }
    } else {
      message =
          server
              + " answered "
              + answer.status()
              + (answer.body().isBlank() ? "" : ": " + shortened(answer.body()))
              + "; is that a Tagflow server's URL?";
    }
    int code =
        switch (answer.status()) {
          case 401 -> ExitCode.AUTH_FAILED;
          case 403 -> ExitCode.AUTH_FAILED;
          case 404 -> ExitCode.NOT_FOUND;
          case 409 -> ExitCode.REFUSED;
          case 400, 413, 415, 422 -> ExitCode.INVALID_INPUT;
          default -> ExitCode.FAILED;
        };
    String prefix =
        switch (answer.status()) {
          case 401 ->
              "the server refused the credentials: "
                  + message
                  + "; log in again (tagflow login "
                  + server
                  + "), or check TAGFLOW_TOKEN or --token";
          case 403 -> "not allowed: " + message;
          default -> message;
        };
    if (answer.status() == 401 || fix.isEmpty() || error.equals("not_found")) {
      return new ClientFailure(code, prefix);
    }
    return new ClientFailure(code, prefix + " (" + fix + ")");
  }

  private ClientFailure unreachable(IOException e) {
    String why;
    if (e instanceof ConnectException) {
      why =
          "connection refused: is tagflow server running there? Check the URL (--server,"
              + " TAGFLOW_SERVER or the context of tagflow login)";
    } else if (causedBy(e, SSLException.class)) {
      why =
          "the TLS handshake failed ("
              + rootMessage(e)
              + "); for a server with a self-signed certificate, give the certificate that signs"
              + " it with --ca-file (tagflow login --ca-file saves it in the context)";
    } else {
      why = rootMessage(e);
    }
    return new ClientFailure(ExitCode.UNREACHABLE, "cannot reach " + server + ": " + why);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static String shortened(String text) {
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() > 120 ? line.substring(0, 120) + "…" : line;
  }

  /** An SSL context that trusts the certificates of a PEM file, and only those. */
  static SSLContext trusting(Path caFile) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(caFile)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (NoSuchFileException e) {
      throw new ClientFailure(ExitCode.INVALID_INPUT, "--ca-file " + caFile + ": no such file");
    } catch (IOException | GeneralSecurityException e) {
      throw new ClientFailure(
          ExitCode.INVALID_INPUT,
          "--ca-file " + caFile + ": not PEM certificates (" + rootMessage(e) + ")");
    }
    if (certificates.isEmpty()) {
      throw new ClientFailure(
          ExitCode.INVALID_INPUT, "--ca-file " + caFile + ": holds no certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make a trust store", e);
    }
  }

  @Override
  public void close() {
    // Nothing to release: each answer is read to its end, and the JDK keeps the connection for the
    // next request of this process (a daemon thread closes it when idle).
  }
}
