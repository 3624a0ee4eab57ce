package dev.tagflow.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.tagflow.PlainJson;
import dev.tagflow.server.config.NotificationWebhook;
import dev.tagflow.server.config.NotificationWebhook.Format;
import dev.tagflow.server.config.NotificationWebhook.SecretSource;
import dev.tagflow.server.config.NotificationWebhook.Trigger;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.NotificationAttempt;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The notifier against a real HTTP receiver on loopback: signatures, retries, failures, filters.
 */
class NotifierTest {

  private static final String KEY = "team-webhook-key-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path temp;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private Notifier notifier;
  private Receiver receiver;
  private Store store;

  @AfterEach
  void close() {
    if (notifier != null) {
      notifier.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (store != null) {
      store.close();
    }
  }

  /** A notifier recording in a real SQLite file in the test's folder. */
  private Notifier notifier(Notifier.Options options) {
    store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(temp)));
    notifier = new Notifier(options, Clock.systemUTC(), meters, store.notifications());
    return notifier;
  }

  private static Notifier.Options fast() {
    return Notifier.Options.defaults()
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
        .withTimeout(Duration.ofSeconds(5));
  }

  private NotificationWebhook webhook(String name, URI url, Format format, Set<Trigger> on)
      throws IOException {
    Path key = temp.resolve(name + ".key");
    // As an editor writes it: the trailing new line is not part of the key.
    Files.writeString(key, KEY + "\n");
    return new NotificationWebhook(name, url, format, on, Optional.of(new SecretSource.File(key)));
  }

  private static ServerSettings.Project project(String name, NotificationWebhook... webhooks) {
    return new ServerSettings.Project(
        name, List.of(new ServerSettings.Destination("*", "*")), List.of(), List.of(webhooks));
  }

  private static Notification syncSucceeded(String project) {
    return new Notification(
        Trigger.SYNC_SUCCEEDED,
        Notification.Subject.application("web-prod"),
        project,
        Optional.of("main (0123456789ab)"),
        "sync #4: 3 objects applied",
        Instant.parse("2026-12-06T12:00:00Z"),
        Optional.of(URI.create("http://127.0.0.1:7070/applications/web-prod")));
  }

  private double count(String result) {
    return meters.find("tagflow.notifications").tag("result", result).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  @Test
  void aGenericNotificationArrivesSignedSoTheReceiverCanVerifyIt() throws Exception {
    receiver = Receiver.start();
    notifier(fast())
        .setProjects(
            List.of(
                project(
                    "shop",
                    webhook(
                        "team", receiver.url(), Format.GENERIC, EnumSet.allOf(Trigger.class)))));

    notifier.notify(syncSucceeded("shop"));

    await().atMost(WAIT).until(() -> count("delivered") == 1);
    assertThat(receiver.requests).hasSize(1);
    Receiver.Received request = receiver.requests.get(0);
    assertThat(Receiver.verifies(request, KEY, Instant.now())).isTrue();
    assertThat(Receiver.verifies(request, KEY + "x", Instant.now())).isFalse();
    // A replay an hour later is refused by the timestamp the signature covers.
    assertThat(Receiver.verifies(request, KEY, Instant.now().plusSeconds(3600))).isFalse();
    assertThat(request.header("X-Tagflow-Event")).isEqualTo("sync-succeeded");
    assertThat(request.header("X-Tagflow-Delivery")).isNotBlank();
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    JsonNode body = PlainJson.MAPPER.readTree(request.body());
    assertThat(body.get("event").asText()).isEqualTo("sync-succeeded");
    assertThat(body.get("application").asText()).isEqualTo("web-prod");
    assertThat(body.get("project").asText()).isEqualTo("shop");
    assertThat(body.get("revision").asText()).isEqualTo("main (0123456789ab)");
    assertThat(body.get("message").asText()).isEqualTo("sync #4: 3 objects applied");
    assertThat(body.get("time").asText()).isEqualTo("2026-12-06T12:00:00Z");
    assertThat(body.get("link").asText()).isEqualTo("http://127.0.0.1:7070/applications/web-prod");
    assertThat(request.body()).doesNotContain(KEY);
    assertThat(notifier.recent("shop", "team"))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.result()).isEqualTo(Delivery.Result.DELIVERED);
              assertThat(d.attempts()).isEqualTo(1);
              assertThat(d.status()).contains(200);
              assertThat(d.id()).isEqualTo(request.header("X-Tagflow-Delivery"));
            });
  }

  @Test
  void aReceiverFailingTwiceGetsTheNotificationOnTheThirdAttemptWithTheSameDeliveryId()
      throws Exception {
    receiver = Receiver.start().answering(500, 503);
    notifier(fast())
        .setProjects(
            List.of(
                project(
                    "shop",
                    webhook(
                        "team", receiver.url(), Format.GENERIC, EnumSet.allOf(Trigger.class)))));

    notifier.notify(syncSucceeded("shop"));

    await().atMost(WAIT).until(() -> count("delivered") == 1);
    assertThat(receiver.requests).hasSize(3);
    assertThat(receiver.requests.stream().map(r -> r.header("X-Tagflow-Delivery")).distinct())
        .hasSize(1);
    assertThat(receiver.requests)
        .allSatisfy(r -> assertThat(Receiver.verifies(r, KEY, Instant.now())).isTrue());
    assertThat(notifier.recent("shop", "team").get(0).attempts()).isEqualTo(3);
    assertThat(count("failed")).isZero();
    // Every attempt is in the store, newest first, with its answer.
    assertThat(store.notifications().recent("shop", "team", 10))
        .extracting(
            NotificationAttempt::attempt,
            NotificationAttempt::outcome,
            NotificationAttempt::status,
            NotificationAttempt::detail)
        .containsExactly(
            tuple(3, NotificationAttempt.Outcome.DELIVERED, Optional.of(200), "OK"),
            tuple(2, NotificationAttempt.Outcome.RETRYING, Optional.of(503), "HTTP 503"),
            tuple(1, NotificationAttempt.Outcome.RETRYING, Optional.of(500), "HTTP 500"));
    assertThat(store.notifications().recent("shop", "team", 10))
        .extracting(NotificationAttempt::delivery)
        .containsOnly(receiver.requests.get(0).header("X-Tagflow-Delivery"));
  }

  @Test
  void theFailuresOutliveARestartAndNeitherTheUrlsTokenNorTheKeyIsStored() throws Exception {
    receiver = Receiver.start().answering(500, 500, 500, 500, 500);
    // A URL that carries a token in its path and query, as chat webhooks do.
    URI withToken = URI.create(receiver.url() + "/T000/B000/sEcReTpAtHtOkEn?token=qUeRyTokEn");
    notifier(fast())
        .setProjects(
            List.of(
                project(
                    "shop",
                    webhook("chat", withToken, Format.SLACK, EnumSet.allOf(Trigger.class)))));

    notifier.notify(syncSucceeded("shop"));
    await().atMost(WAIT).until(() -> count("failed") == 1);
    notifier.close();
    store.close();

    // A new process: the same database file, a new notifier.
    store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(temp)));
    notifier =
        new Notifier(fast(), Clock.systemUTC(), new SimpleMeterRegistry(), store.notifications());
    assertThat(notifier.recent(50))
        .extracting(Delivery::webhook, Delivery::result, Delivery::attempts, Delivery::detail)
        .containsExactly(
            tuple("chat", Delivery.Result.FAILED, 5, "HTTP 500"),
            tuple("chat", Delivery.Result.RETRYING, 4, "HTTP 500"),
            tuple("chat", Delivery.Result.RETRYING, 3, "HTTP 500"),
            tuple("chat", Delivery.Result.RETRYING, 2, "HTTP 500"),
            tuple("chat", Delivery.Result.RETRYING, 1, "HTTP 500"));
    assertThat(notifier.recent(50))
        .allSatisfy(
            d -> {
              assertThat(d.event()).isEqualTo(Trigger.SYNC_SUCCEEDED);
              assertThat(d.subject()).isEqualTo(Notification.Subject.application("web-prod"));
              assertThat(d.status()).contains(500);
            });
    store.close();
    store = null;
    // Nothing in the database files holds the URL's secret parts or the signing key.
    try (var files = Files.list(temp)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().startsWith("tagflow.db")).toList()) {
        String bytes =
            new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(bytes).as(file.toString()).contains("chat");
        assertThat(bytes).doesNotContain("sEcReTpAtHtOkEn", "qUeRyTokEn", KEY);
      }
    }
  }

  @Test
  void theStoreKeepsTheLastAttemptsOfEachWebhookOnly() throws Exception {
    receiver = Receiver.start();
    Receiver other = Receiver.start();
    try {
      notifier(fast().withRecentPerWebhook(3))
          .setProjects(
              List.of(
                  project(
                      "shop",
                      webhook("team", receiver.url(), Format.GENERIC, EnumSet.allOf(Trigger.class)),
                      webhook("ops", other.url(), Format.GENERIC, EnumSet.allOf(Trigger.class)))));
      for (int i = 0; i < 5; i++) {
        notifier.notify(syncSucceeded("shop"));
      }
      await().atMost(WAIT).until(() -> count("delivered") == 10);
      assertThat(notifier.recent("shop", "team")).hasSize(3);
      assertThat(notifier.recent("shop", "ops")).hasSize(3);
      assertThat(store.notifications().recent(100)).hasSize(6);
      // The three kept are the newest: the ids of the last three requests the receiver saw.
      assertThat(notifier.recent("shop", "team"))
          .extracting(Delivery::id)
          .containsExactlyInAnyOrderElementsOf(
              receiver.requests.subList(2, 5).stream()
                  .map(r -> r.header("X-Tagflow-Delivery"))
                  .toList());
    } finally {
      other.close();
    }
  }

  @Test
  void aReceiverRefusingWithA4xxIsNotAskedAgain() throws Exception {
    receiver = Receiver.start().answering(400);
    notifier(fast())
        .setProjects(
            List.of(
                project(
                    "shop",
                    webhook(
                        "team", receiver.url(), Format.GENERIC, EnumSet.allOf(Trigger.class)))));

    notifier.notify(syncSucceeded("shop"));

    await().atMost(WAIT).until(() -> count("failed") == 1);
    assertThat(receiver.requests).hasSize(1);
    assertThat(notifier.recent("shop", "team").get(0))
        .satisfies(
            d -> {
              assertThat(d.result()).isEqualTo(Delivery.Result.FAILED);
              assertThat(d.detail()).isEqualTo("HTTP 400");
              assertThat(d.attempts()).isEqualTo(1);
            });
  }

  @Test
  void anUnreachableReceiverIsCountedAndRecordedAfterEveryAttempt() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/hooks");
    notifier(fast())
        .setProjects(
            List.of(
                project(
                    "shop",
                    webhook("gone", nowhere, Format.GENERIC, EnumSet.allOf(Trigger.class)))));

    notifier.notify(syncSucceeded("shop"));

    await().atMost(WAIT).until(() -> count("failed") == 1);
    assertThat(notifier.recent("shop", "gone").get(0))
        .satisfies(
            d -> {
              assertThat(d.result()).isEqualTo(Delivery.Result.FAILED);
              assertThat(d.attempts()).isEqualTo(Notifier.Options.defaults().attempts());
              assertThat(d.status()).isEmpty();
              assertThat(d.detail()).isEqualTo("connection refused or unreachable");
            });
    assertThat(count("delivered")).isZero();
  }

  @Test
  void aReceiverThatNeverAnswersTimesOutAndIsRetried() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    receiver =
        Receiver.start()
            .holding(
                () -> {
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return 0;
                });
    try {
      notifier(
              new Notifier.Options(
                  10,
                  2,
                  Duration.ofMillis(10),
                  Duration.ofMillis(10),
                  Duration.ofMillis(300),
                  1,
                  20))
          .setProjects(
              List.of(
                  project(
                      "shop",
                      webhook(
                          "hung", receiver.url(), Format.GENERIC, EnumSet.allOf(Trigger.class)))));

      notifier.notify(syncSucceeded("shop"));

      await().atMost(WAIT).until(() -> count("failed") == 1);
      assertThat(receiver.requests).hasSize(2);
      assertThat(notifier.recent("shop", "hung").get(0).detail())
          .isEqualTo("no answer within 300 ms");
    } finally {
      release.countDown();
    }
  }

  @Test
  void onlyTheEventsAWebhookAskedForAndOnlyItsOwnProjectsReachIt() throws Exception {
    receiver = Receiver.start();
    Receiver other = Receiver.start();
    try {
      notifier(fast())
          .setProjects(
              List.of(
                  project(
                      "shop",
                      webhook(
                          "failures",
                          receiver.url(),
                          Format.GENERIC,
                          EnumSet.of(Trigger.SYNC_FAILED, Trigger.RUN_FAILED))),
                  project(
                      "billing",
                      webhook("all", other.url(), Format.GENERIC, EnumSet.allOf(Trigger.class)))));

      notifier.notify(syncSucceeded("shop"));
      notifier.notify(
          new Notification(
              Trigger.SYNC_FAILED,
              Notification.Subject.application("web-prod"),
              "shop",
              Optional.empty(),
              "sync #5 failed: admission webhook refused the Deployment",
              Instant.now(),
              Optional.empty()));

      await().atMost(WAIT).until(() -> count("delivered") == 1);
      assertThat(receiver.requests)
          .singleElement()
          .satisfies(r -> assertThat(r.header("X-Tagflow-Event")).isEqualTo("sync-failed"));
      assertThat(notifier.wanted("shop", Trigger.SYNC_SUCCEEDED)).isFalse();
      assertThat(notifier.wanted("billing", Trigger.SYNC_SUCCEEDED)).isTrue();
      assertThat(other.requests).isEmpty();
      JsonNode body = PlainJson.MAPPER.readTree(receiver.requests.get(0).body());
      assertThat(body.get("revision").isNull()).isTrue();
      assertThat(body.get("link").isNull()).isTrue();
    } finally {
      other.close();
    }
  }

  @Test
  void aSlackWebhookGetsTextAndBlocksWithMarkupEscaped() throws Exception {
    receiver = Receiver.start();
    notifier(fast())
        .setProjects(
            List.of(
                project(
                    "shop",
                    webhook("chat", receiver.url(), Format.SLACK, EnumSet.allOf(Trigger.class)))));

    notifier.notify(
        new Notification(
            Trigger.HEALTH_DEGRADED,
            Notification.Subject.application("web-prod"),
            "shop",
            Optional.of("v1.2.3"),
            "health is Degraded (was Healthy): Deployment <web> & 2 Pods crash",
            Instant.parse("2026-12-06T12:00:00Z"),
            Optional.of(URI.create("http://127.0.0.1:7070/applications/web-prod"))));

    await().atMost(WAIT).until(() -> count("delivered") == 1);
    JsonNode body = PlainJson.MAPPER.readTree(receiver.requests.get(0).body());
    assertThat(body.get("text").asText())
        .isEqualTo(
            "web-prod: health degraded: health is Degraded (was Healthy): Deployment <web> & 2"
                + " Pods crash");
    JsonNode section = body.get("blocks").get(0);
    assertThat(section.get("type").asText()).isEqualTo("section");
    assertThat(section.get("text").get("type").asText()).isEqualTo("mrkdwn");
    assertThat(section.get("text").get("text").asText())
        .isEqualTo(
            "*<http://127.0.0.1:7070/applications/web-prod|web-prod>*: health degraded\n"
                + "health is Degraded (was Healthy): Deployment &lt;web&gt; &amp; 2 Pods crash");
    JsonNode context = body.get("blocks").get(1);
    assertThat(context.get("type").asText()).isEqualTo("context");
    assertThat(context.get("elements").get(0).get("text").asText())
        .isEqualTo("project *shop* · revision `v1.2.3` · 2026-12-06T12:00:00Z");
    assertThat(Receiver.verifies(receiver.requests.get(0), KEY, Instant.now())).isTrue();
  }

  @Test
  void aFullQueueDropsTheOldestNotificationAndCountsIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    receiver =
        Receiver.start()
            .holding(
                () -> {
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return 0;
                });
    Notifier.Options options =
        new Notifier.Options(
            2, 1, Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofSeconds(30), 1, 20);
    notifier(options)
        .setProjects(
            List.of(
                project(
                    "shop",
                    webhook(
                        "slow", receiver.url(), Format.GENERIC, EnumSet.allOf(Trigger.class)))));
    // One delivery under way (held by the receiver), one taken by the dispatcher waiting for it.
    notifier.notify(syncSucceeded("shop"));
    await().atMost(WAIT).until(() -> receiver.requests.size() == 1);
    notifier.notify(syncSucceeded("shop"));
    await()
        .atMost(WAIT)
        .until(() -> meters.get("tagflow.notifications.queued").gauge().value() == 0);

    // The queue holds two: the third of these pushes the first out.
    for (int i = 0; i < 3; i++) {
      notifier.notify(syncSucceeded("shop"));
    }
    assertThat(count("dropped")).isEqualTo(1);
    release.countDown();
    await().atMost(WAIT).until(() -> count("delivered") == 4);
    assertThat(notifier.recent("shop", "slow"))
        .filteredOn(d -> d.result() == Delivery.Result.DROPPED)
        .singleElement()
        .satisfies(d -> assertThat(d.attempts()).isZero());
  }

  @Test
  void aWebhookWhoseKeyCannotBeReadFailsItsDeliveriesVisibly() throws Exception {
    receiver = Receiver.start();
    NotificationWebhook missing =
        new NotificationWebhook(
            "keyless",
            receiver.url(),
            Format.GENERIC,
            EnumSet.allOf(Trigger.class),
            Optional.of(new SecretSource.File(temp.resolve("deleted.key"))));
    notifier(fast()).setProjects(List.of(project("shop", missing)));

    notifier.notify(syncSucceeded("shop"));

    await().atMost(WAIT).until(() -> count("failed") == 1);
    assertThat(receiver.requests).isEmpty();
    assertThat(notifier.recent(10).get(0).detail()).isEqualTo("its secret could not be read");
  }
}
