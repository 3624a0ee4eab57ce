package dev.tagflow.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tagflow.PlainJson;
import dev.tagflow.server.RawHttp;
import dev.tagflow.server.TestServer;
import dev.tagflow.server.auth.ApiTokens;
import dev.tagflow.server.auth.OpaqueSecret;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.store.ApiTokenRecord;
import dev.tagflow.store.AuditEntry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** Attacks on the API's authentication: tokens, headers, sessions, CSRF, login throttling, logs. */
class AuthAttackTest {

  static final String PASSWORD = "correct horse battery staple";

  @TempDir Path temp;
  TestServer server;
  ApiClient client;
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void start() {
    logged.start();
    root.addAppender(logged);
    server =
        TestServer.withAccess(
            temp.resolve("data"),
            Authorizer.withConfigured("test", "g, alice, role:admin\ng, vic, role:viewer"),
            TestServer.TEST_ACCESS);
    client = new ApiClient(server.url());
    server.daemon.access().users().add("alice", PASSWORD);
    server.daemon.access().users().add("vic", PASSWORD);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
    root.detachAppender(logged);
  }

  private String token(String owner) {
    return server.daemon.access().tokens().create("t-" + owner, owner, Optional.empty()).text();
  }

  private HttpResponse<String> listWith(String authorization) {
    return client.call("GET", "/api/repos", null, "Authorization", authorization);
  }

  private String logText() {
    synchronized (logged) {
      return String.join(
          "\n", logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }
  }

  @Test
  void aTokenWithOneCharacterFlippedIsRefusedLikeAnUnknownOne() {
    String token = token("alice");
    assertThat(listWith("Bearer " + token).statusCode()).isEqualTo(200);
    // Every position, the prefix's too; a failure names the position and the answer, never the
    // token.
    for (int i = 0; i < token.length(); i++) {
      char[] chars = token.toCharArray();
      chars[i] = chars[i] == 'A' ? 'B' : 'A';
      HttpResponse<String> answer = listWith("Bearer " + new String(chars));
      assertThat(answer.statusCode())
          .as("character %d changed: %s", i, answer.body())
          .isEqualTo(401);
      assertThat(answer.body()).contains("unknown, expired or revoked");
    }
  }

  @Test
  void aTokenWhoseCaseDiffersFromOneSentBeforeOnTheSameConnectionIsRefused() {
    // Jetty's per-connection header cache matched fields case-insensitively and handed the handler
    // the value sent before: "tfA_…" after "tfa_…" on one connection was alice's token.
    String token = token("alice");
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (!Character.isLetter(c)) {
        continue;
      }
      assertThat(listWith("Bearer " + token).statusCode()).isEqualTo(200);
      char[] chars = token.toCharArray();
      chars[i] = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
      HttpResponse<String> answer = listWith("Bearer " + new String(chars));
      assertThat(answer.statusCode()).as("case of character %d changed", i).isEqualTo(401);
    }
  }

  @Test
  void anExpiredTokenIsRefused() {
    String text = OpaqueSecret.generate(ApiTokens.PREFIX);
    Instant past = Instant.now().minus(Duration.ofDays(2));
    server
        .store
        .access()
        .addToken(
            new ApiTokenRecord(
                "expired1",
                "old",
                "alice",
                OpaqueSecret.digest(text),
                past,
                Optional.of(past.plus(Duration.ofDays(1))),
                Optional.empty()));
    HttpResponse<String> answer = listWith("Bearer " + text);
    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.body()).contains("unknown, expired or revoked");
  }

  @Test
  void aRevokedTokenIsRefusedAtOnce() {
    String token = token("alice");
    assertThat(listWith("Bearer " + token).statusCode()).isEqualTo(200);
    assertThat(server.daemon.access().tokens().revoke("t-alice")).isPresent();
    assertThat(listWith("Bearer " + token).statusCode()).isEqualTo(401);
  }

  @Test
  void theStoreHoldsOnlyTheTokensDigest() {
    String token = token("alice");
    List<ApiTokenRecord> stored = server.store.access().tokens();
    assertThat(stored).hasSize(1);
    assertThat(stored.getFirst().digest())
        .isEqualTo(OpaqueSecret.digest(token))
        .doesNotContain(token);
    assertThat(OpaqueSecret.sameDigest(stored.getFirst().digest(), OpaqueSecret.digest(token)))
        .isTrue();
    assertThat(
            OpaqueSecret.sameDigest(stored.getFirst().digest(), OpaqueSecret.digest(token + "x")))
        .isFalse();
  }

  @Test
  void oddAuthorizationHeadersAreRefusedNeverLetThrough() {
    String token = token("alice");
    RawHttp raw = new RawHttp(server.url());
    // A header with a CR/LF smuggled in: Jetty refuses the request outright.
    RawHttp.Answer injected =
        raw.send(
            "GET /api/repos HTTP/1.1\r\nAuthorization: Bearer " + token + "\rX-Admin: yes",
            new byte[0]);
    assertThat(injected.status()).isIn(400, 401);
    for (String header :
        List.of(
            "Bearer",
            "Bearer ",
            "Token " + token,
            "Bearer " + token + " " + token,
            "Basic !!!notbase64",
            "Basic " + java.util.Base64.getEncoder().encodeToString("alice".getBytes()),
            "Bearer " + token.substring(0, token.length() - 1))) {
      assertThat(listWith(header).statusCode()).as(header).isEqualTo(401);
    }
    // HTTP basic with the token as password, as git sends it, works.
    String basic =
        java.util.Base64.getEncoder()
            .encodeToString(("any:" + token).getBytes(StandardCharsets.UTF_8));
    assertThat(listWith("Basic " + basic).statusCode()).isEqualTo(200);
  }

  @Test
  void aVeryLongAuthorizationHeaderIsRefusedWithoutAServerError() {
    HttpResponse<String> long2k = listWith("Bearer " + "a".repeat(2000));
    assertThat(long2k.statusCode()).isEqualTo(401);
    assertThat(long2k.body()).contains("longer than 1024");
    RawHttp.Answer huge =
        new RawHttp(server.url())
            .get("/api/repos", "Authorization", "Bearer " + "a".repeat(64 * 1024));
    assertThat(huge.status()).isIn(400, 401, 431);
  }

  @Test
  void aLoginSetsAStrictHttpOnlyCookieAndAnswersTheCsrfToken() throws Exception {
    HttpResponse<String> login = login("alice", PASSWORD, "127.0.0.1");
    assertThat(login.statusCode()).isEqualTo(201);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("tagflow_session=")
        .contains("HttpOnly")
        .containsIgnoringCase("SameSite=Strict")
        .contains("Path=/")
        .doesNotContain("Secure");
    JsonNode body = PlainJson.MAPPER.readTree(login.body());
    assertThat(body.get("user").asText()).isEqualTo("alice");
    assertThat(body.get("csrfToken").asText()).hasSizeGreaterThan(30);
    // The session id is stored as its digest only.
    String id = cookieValue(setCookie);
    assertThat(server.store.access().session(OpaqueSecret.digest(id))).isPresent();
    assertThat(server.store.access().session(id)).isEmpty();
  }

  @Test
  void aChangeWithTheSessionCookieNeedsTheRightCsrfToken() throws Exception {
    HttpResponse<String> login = login("alice", PASSWORD, "127.0.0.1");
    String cookie =
        "tagflow_session=" + cookieValue(login.headers().firstValue("Set-Cookie").get());
    String csrf = PlainJson.MAPPER.readTree(login.body()).get("csrfToken").asText();

    // Reading needs no CSRF token.
    assertThat(client.call("GET", "/api/repos", null, "Cookie", cookie).statusCode())
        .isEqualTo(200);
    // Missing, wrong, or another session's token: refused, nothing created.
    HttpResponse<String> missing =
        client.call("POST", "/api/repos", "{\"name\":\"csrf1\"}", "Cookie", cookie);
    assertThat(missing.statusCode()).isEqualTo(403);
    assertThat(missing.body()).contains("csrf_token_invalid");
    String otherCsrf =
        PlainJson.MAPPER
            .readTree(login("vic", PASSWORD, "127.0.0.1").body())
            .get("csrfToken")
            .asText();
    for (String wrong : List.of("nope", otherCsrf, csrf.substring(1), csrf + "x")) {
      HttpResponse<String> answer =
          client.call(
              "POST",
              "/api/repos",
              "{\"name\":\"csrf1\"}",
              "Cookie",
              cookie,
              "X-CSRF-Token",
              wrong);
      assertThat(answer.statusCode()).as(wrong).isEqualTo(403);
    }
    assertThat(temp.resolve("data/git/csrf1.git")).doesNotExist();
    // The right one: allowed (alice is an admin).
    HttpResponse<String> right =
        client.call(
            "POST", "/api/repos", "{\"name\":\"csrf1\"}", "Cookie", cookie, "X-CSRF-Token", csrf);
    assertThat(right.statusCode()).as(right.body()).isEqualTo(201);
    // A bearer token needs no CSRF token: no browser sends it on its own.
    HttpResponse<String> bearer =
        client.call(
            "POST",
            "/api/repos",
            "{\"name\":\"csrf2\"}",
            "Authorization",
            "Bearer " + token("alice"));
    assertThat(bearer.statusCode()).isEqualTo(201);
    // Every change is in the audit log, refused or not, with who and from where.
    List<AuditEntry> audit = server.store.audit().since(Instant.EPOCH, 100);
    assertThat(audit)
        .extracting(AuditEntry::actor, AuditEntry::action, AuditEntry::object, AuditEntry::result)
        .contains(
            org.assertj.core.groups.Tuple.tuple("alice", "POST /api/repos", "", "403 csrf"),
            org.assertj.core.groups.Tuple.tuple("alice", "POST /api/repos", "csrf1", "201"),
            org.assertj.core.groups.Tuple.tuple(
                "alice (token t-alice)", "POST /api/repos", "csrf2", "201"));
    assertThat(audit).allSatisfy(e -> assertThat(e.address()).isEqualTo("127.0.0.1"));
  }

  @Test
  void aViewerSessionIsForbiddenToCreateAndTheDenialIsAudited() throws Exception {
    HttpResponse<String> login = login("vic", PASSWORD, "127.0.0.1");
    String cookie =
        "tagflow_session=" + cookieValue(login.headers().firstValue("Set-Cookie").get());
    String csrf = PlainJson.MAPPER.readTree(login.body()).get("csrfToken").asText();
    HttpResponse<String> answer =
        client.call(
            "POST", "/api/repos", "{\"name\":\"nope\"}", "Cookie", cookie, "X-CSRF-Token", csrf);
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).contains("vic may not repositories/create on nope");
    assertThat(server.store.audit().since(Instant.EPOCH, 10))
        .extracting(AuditEntry::actor, AuditEntry::result)
        .contains(org.assertj.core.groups.Tuple.tuple("vic", "403 denied"));
  }

  @Test
  void logoutEndsTheSession() throws Exception {
    HttpResponse<String> login = login("alice", PASSWORD, "127.0.0.1");
    String cookie =
        "tagflow_session=" + cookieValue(login.headers().firstValue("Set-Cookie").get());
    String csrf = PlainJson.MAPPER.readTree(login.body()).get("csrfToken").asText();
    assertThat(client.call("GET", "/api/v1/session", null, "Cookie", cookie).body())
        .contains("\"name\":\"alice\"")
        .contains("role:admin");
    // Logging out is a change: without the CSRF token a foreign page cannot log one out either.
    assertThat(client.call("DELETE", "/api/v1/session", null, "Cookie", cookie).statusCode())
        .isEqualTo(403);
    assertThat(
            client
                .call("DELETE", "/api/v1/session", null, "Cookie", cookie, "X-CSRF-Token", csrf)
                .statusCode())
        .isEqualTo(204);
    assertThat(client.call("GET", "/api/v1/session", null, "Cookie", cookie).statusCode())
        .isEqualTo(401);
  }

  @Test
  void failedLoginsBackOffPerUserWith429AndRetryAfter() {
    for (int i = 0; i < 5; i++) {
      assertThat(login("alice", "wrong password " + i, "127.0.0.1").statusCode()).isEqualTo(401);
    }
    HttpResponse<String> blocked = login("alice", PASSWORD, "127.0.0.1");
    assertThat(blocked.statusCode()).isEqualTo(429);
    assertThat(blocked.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 900L));
    assertThat(blocked.body()).contains("too_many_attempts");
    assertThat(server.store.audit().since(Instant.EPOCH, 100))
        .extracting(AuditEntry::actor, AuditEntry::result)
        .contains(
            org.assertj.core.groups.Tuple.tuple("alice", "401 failed"),
            org.assertj.core.groups.Tuple.tuple("alice", "429 throttled"));
  }

  @Test
  void xForwardedForDoesNotDodgeTheAddressBackOffUnlessAProxyIsTrusted() {
    // Five different users from one address, each with a new X-Forwarded-For: the address is
    // counted, as the peer address, and the sixth attempt is refused whatever the header says.
    for (int i = 0; i < 5; i++) {
      assertThat(login("user" + i, "wrong password", "10.0.0." + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> sixth = login("alice", PASSWORD, "10.9.9.9");
    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(server.store.audit().since(Instant.EPOCH, 100))
        .allSatisfy(e -> assertThat(e.address()).isEqualTo("127.0.0.1"));
  }

  @Test
  void unknownUsersCostAndAnswerTheSameAsWrongPasswords() {
    HttpResponse<String> unknown = login("mallory", PASSWORD, "127.0.0.1");
    HttpResponse<String> wrong = login("vic", "not the password", "127.0.0.1");
    assertThat(unknown.statusCode()).isEqualTo(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.body()).isEqualTo(wrong.body());
  }

  @Test
  void hostileLoginBodiesAreRefusedWithTheirReason() {
    for (String body :
        List.of(
            "not json",
            "[]",
            "{\"username\":\"alice\"}",
            "{\"username\":\"alice\",\"password\":\"x\",\"admin\":true}",
            "{\"username\":\"alice\",\"password\":12}",
            "{\"username\":\"" + "a".repeat(100) + "\",\"password\":\"x\"}")) {
      HttpResponse<String> answer = client.call("POST", "/api/v1/session", body);
      assertThat(answer.statusCode()).as(body).isEqualTo(400);
      assertThat(answer.body()).contains("invalid_request");
    }
    HttpResponse<String> big =
        client.call(
            "POST",
            "/api/v1/session",
            "{\"username\":\"alice\",\"password\":\"" + "p".repeat(20_000) + "\"}");
    assertThat(big.statusCode()).isEqualTo(400);
  }

  @Test
  void aTokenLoginOpensASessionOfItsOwner() throws Exception {
    String token = token("vic");
    HttpResponse<String> login =
        client.call("POST", "/api/v1/session", "{\"token\":\"" + token + "\"}");
    assertThat(login.statusCode()).isEqualTo(201);
    assertThat(PlainJson.MAPPER.readTree(login.body()).get("user").asText()).isEqualTo("vic");
  }

  @Test
  void passwordsAndTokensNeverReachTheLog() {
    String token = token("alice");
    login("alice", PASSWORD, "127.0.0.1");
    login("alice", "wrong-password-xyz", "127.0.0.1");
    listWith("Bearer " + token);
    listWith("Bearer " + token + "x");
    client.call("POST", "/api/v1/session", "{\"token\":\"" + token + "\"}");
    assertThat(logText())
        .contains("alice logged in")
        .doesNotContain(PASSWORD)
        .doesNotContain("wrong-password-xyz")
        .doesNotContain(token);
  }

  @Test
  void aHugeObjectIsDecidedWholeButShownShortInTheAnswerAndTheAuditLog() throws Exception {
    String viewer = token("vic");
    String name = "n".repeat(100_000);
    HttpResponse<String> answer =
        client.call(
            "POST",
            "/api/repos",
            "{\"name\":\"" + name + "\"}",
            "Authorization",
            "Bearer " + viewer);
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).contains("(100000 characters)").hasSizeLessThan(1000);
    assertThat(server.store.audit().since(Instant.EPOCH, 10))
        .allSatisfy(e -> assertThat(e.object().length()).isLessThan(300));
  }

  @Test
  void aTrustedProxysForwardedForIsBelievedAndOnlyTheLastUntrustedHop() throws Exception {
    try (TestServer proxied =
            TestServer.withAccess(
                temp.resolve("proxied"),
                Authorizer.builtinOnly(),
                new dev.tagflow.server.auth.AccessControl.Settings(
                    TestServer.TEST_ACCESS.sessions(),
                    List.of("127.0.0.1"),
                    false,
                    TestServer.TEST_ACCESS.passwords()));
        ApiClient viaProxy = new ApiClient(proxied.url())) {
      // The client wrote the first entry itself; the proxy appended the address it saw.
      viaProxy.call(
          "POST",
          "/api/v1/session",
          "{\"username\":\"x\",\"password\":\"y\"}",
          "X-Forwarded-For",
          "6.6.6.6, 203.0.113.7");
      assertThat(proxied.store.audit().since(Instant.EPOCH, 10))
          .extracting(AuditEntry::address)
          .containsExactly("203.0.113.7");
    }
  }

  @Test
  void theAuditLogIsServedToThoseWhoMayReadItWithItsQueryChecked() throws Exception {
    login("alice", "wrong password", "127.0.0.1");
    String admin = token("alice");
    HttpResponse<String> all =
        client.call("GET", "/api/v1/audit?limit=10", null, "Authorization", "Bearer " + admin);
    assertThat(all.statusCode()).isEqualTo(200);
    JsonNode entries = PlainJson.MAPPER.readTree(all.body());
    assertThat(entries.isArray()).isTrue();
    assertThat(entries.get(0).get("actor").asText()).isEqualTo("alice");
    assertThat(entries.get(0).get("result").asText()).isEqualTo("401 failed");
    for (String query : List.of("since=yesterday", "limit=0", "limit=x", "limit=10001")) {
      HttpResponse<String> bad =
          client.call("GET", "/api/v1/audit?" + query, null, "Authorization", "Bearer " + admin);
      assertThat(bad.statusCode()).as(query).isEqualTo(400);
    }
    assertThat(
            client
                .call("GET", "/api/v1/audit", null, "Authorization", "Bearer " + token("vic"))
                .statusCode())
        .isEqualTo(403);
  }

  private HttpResponse<String> login(String user, String password, String forwardedFor) {
    return client.call(
        "POST",
        "/api/v1/session",
        "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}",
        "X-Forwarded-For",
        forwardedFor);
  }

  private static String cookieValue(String setCookie) {
    String first = setCookie.split(";")[0];
    return first.substring(first.indexOf('=') + 1);
  }
}
