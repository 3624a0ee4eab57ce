package dev.tagflow.server.notify;

import dev.tagflow.TagflowVersion;
import dev.tagflow.UrlRedaction;
import dev.tagflow.server.config.NotificationWebhook;
import dev.tagflow.server.config.NotificationWebhook.SecretSource;
import dev.tagflow.server.config.ServerSettings;
import dev.tagflow.store.NotificationLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications to the webhooks of their project, off the caller's thread: {@link #notify}
 * only queues. A bounded queue (the oldest dropped, and counted, when full) feeds a few deliveries
 * at once; each is retried with exponential back-off on a timeout, a refused connection, a 5xx, 408
 * or 429, and given up at once on another 4xx. Every outcome is counted ({@code
 * tagflow_notifications_total{result, event}}), logged with the webhook's name (never its URL nor
 * its secret); every attempt is recorded in the store ({@link NotificationLog}, the newest {@code
 * recentPerWebhook} per webhook), so the failures shown in the UI ({@link #recent}) outlive a
 * restart.
 */
public final class Notifier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  /** The header naming the event, for receivers that route by it. */
  static final String EVENT = "X-Tagflow-Event";

  /** The header a receiver de-duplicates retries by: the same on every attempt. */
  static final String DELIVERY = "X-Tagflow-Delivery";

  /**
   * How deliveries go.
   *
   * @param queueCapacity notifications waiting to be sent; beyond it the oldest is dropped, so a
   *     receiver that is down for long cannot make the server hold ever more
   * @param attempts requests per delivery, the first included
   * @param firstBackoff the wait before the second attempt; doubled for each next one
   * @param maxBackoff the longest wait between two attempts
   * @param timeout for connecting and for the answer: a receiver that hangs is a failed attempt
   * @param concurrency deliveries under way at once, so one slow receiver does not hold the rest
   * @param recentPerWebhook attempts kept in the store per webhook, for the UI
   */
  public record Options(
      int queueCapacity,
      int attempts,
      Duration firstBackoff,
      Duration maxBackoff,
      Duration timeout,
      int concurrency,
      int recentPerWebhook) {

    public Options {
      if (queueCapacity < 1 || attempts < 1 || concurrency < 1 || recentPerWebhook < 1) {
        throw new IllegalArgumentException("queue, attempts, concurrency and recent must be >= 1");
      }
      Objects.requireNonNull(firstBackoff, "firstBackoff");
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * 1,000 queued, 5 attempts 2 s apart doubling up to 2 min, 10 s timeout, 4 at once, 100
     * attempts kept per webhook.
     */
    public static Options defaults() {
      return new Options(
          1_000, 5, Duration.ofSeconds(2), Duration.ofMinutes(2), Duration.ofSeconds(10), 4, 100);
    }

    public Options withRecentPerWebhook(int recent) {
      return new Options(
          queueCapacity, attempts, firstBackoff, maxBackoff, timeout, concurrency, recent);
    }

    public Options withBackoff(Duration first, Duration max) {
      return new Options(
          queueCapacity, attempts, first, max, timeout, concurrency, recentPerWebhook);
    }

    public Options withQueueCapacity(int capacity) {
      return new Options(
          capacity, attempts, firstBackoff, maxBackoff, timeout, concurrency, recentPerWebhook);
    }

    public Options withTimeout(Duration value) {
      return new Options(
          queueCapacity, attempts, firstBackoff, maxBackoff, value, concurrency, recentPerWebhook);
    }
  }

  /** A webhook with its key read. */
  private record Target(String project, NotificationWebhook webhook, Optional<Signer> signer) {}

  private record Job(Target target, Notification notification, String id) {}

  /** How one attempt ended. */
  private record Attempt(
      boolean delivered, boolean retry, Optional<Integer> status, String detail) {}

  private final Options options;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Payloads payloads = new Payloads();
  private final NotificationLog attempts;
  // Made at the first delivery: an idle HttpClient's selector thread wakes every few seconds, and
  // most servers have no webhook to send to.
  private HttpClient http;
  private final LinkedBlockingDeque<Job> queue;
  private final Semaphore running;
  private final Thread dispatcher;
  private final List<Thread> workers = new ArrayList<>();
  private volatile Map<String, List<Target>> byProject = Map.of();
  private volatile boolean closed;

  /**
   * @param attempts where every attempt is recorded (the server's store)
   */
  public Notifier(Options options, Clock clock, MeterRegistry meters, NotificationLog attempts) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.attempts = Objects.requireNonNull(attempts, "attempts");
    this.queue = new LinkedBlockingDeque<>(options.queueCapacity());
    this.running = new Semaphore(options.concurrency());
    Gauge.builder("tagflow.notifications.queued", queue, LinkedBlockingDeque::size)
        .description("Notifications waiting to be sent; at most " + options.queueCapacity())
        .register(meters);
    this.dispatcher = Thread.ofVirtual().name("tagflow-notify").start(this::dispatch);
  }

  /** The client deliveries are sent with; none once the notifier is closed. */
  private synchronized Optional<HttpClient> http() {
    if (closed) {
      return Optional.empty();
    }
    if (http == null) {
      http =
          HttpClient.newBuilder()
              .connectTimeout(options.timeout())
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
    }
    return Optional.of(http);
  }

  /**
   * The webhooks of the settings' projects, replacing those before; each key is read now. A key
   * that cannot be read is logged, and the webhook's deliveries fail (and are recorded) until a
   * reload reads it.
   */
  public void setProjects(List<ServerSettings.Project> projects) {
    Map<String, List<Target>> next = new LinkedHashMap<>();
    for (ServerSettings.Project project : projects) {
      List<Target> targets = new ArrayList<>();
      for (NotificationWebhook webhook : project.notifications()) {
        targets.add(new Target(project.name(), webhook, signer(project.name(), webhook)));
      }
      next.put(project.name(), List.copyOf(targets));
    }
    byProject = Map.copyOf(next);
  }

  /** Queues the notification for each webhook of its project that asked for its event. */
  public void notify(Notification notification) {
    if (closed) {
      return;
    }
    for (Target target : byProject.getOrDefault(notification.project(), List.of())) {
      if (target.webhook().on().contains(notification.event())) {
        enqueue(new Job(target, notification, UUID.randomUUID().toString()));
      }
    }
  }

  /** Whether any webhook of the project asked for this event: callers skip work otherwise. */
  public boolean wanted(String project, NotificationWebhook.Trigger event) {
    return byProject.getOrDefault(project, List.of()).stream()
        .anyMatch(t -> t.webhook().on().contains(event));
  }

  /** The webhook's latest attempts, newest first, as the store keeps them. */
  public List<Delivery> recent(String project, String webhook) {
    return attempts.recent(project, webhook, options.recentPerWebhook()).stream()
        .flatMap(a -> Delivery.of(a).stream())
        .toList();
  }

  /** Every webhook's latest attempts, newest first, at most {@code limit}. */
  public List<Delivery> recent(int limit) {
    return attempts.recent(limit).stream().flatMap(a -> Delivery.of(a).stream()).toList();
  }

  private void enqueue(Job job) {
    synchronized (queue) {
      while (!queue.offerLast(job)) {
        Job dropped = queue.pollFirst();
        if (dropped != null) {
          finish(dropped, Delivery.Result.DROPPED, 0, Optional.empty(), "queue full");
        }
      }
    }
  }

  private void dispatch() {
    try {
      while (!closed) {
        Job job = queue.take();
        running.acquire();
        Thread worker =
            Thread.ofVirtual()
                .name("tagflow-notify-" + job.target().webhook().name())
                .unstarted(
                    () -> {
                      try {
                        deliver(job);
                      } finally {
                        running.release();
                      }
                    });
        synchronized (workers) {
          workers.removeIf(t -> !t.isAlive());
          workers.add(worker);
        }
        worker.start();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliver(Job job) {
    NotificationWebhook webhook = job.target().webhook();
    byte[] body = payloads.body(webhook.format(), job.notification());
    Attempt last = null;
    for (int attempt = 1; attempt <= options.attempts(); attempt++) {
      last = attempt(job, body);
      if (last.delivered()) {
        finish(job, Delivery.Result.DELIVERED, attempt, last.status(), last.detail());
        return;
      }
      if (!last.retry() || attempt == options.attempts()) {
        finish(job, Delivery.Result.FAILED, attempt, last.status(), last.detail());
        return;
      }
      record(job, Delivery.Result.RETRYING, attempt, last.status(), last.detail());
      log.debug(
          "webhook={} project={} event={} {} delivery={}: attempt {} failed ({}), again in {}",
          webhook.name(),
          job.target().project(),
          job.notification().event().word(),
          job.notification().subject(),
          job.id(),
          attempt,
          last.detail(),
          backoff(attempt));
      try {
        Thread.sleep(backoff(attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        finish(
            job,
            Delivery.Result.FAILED,
            attempt,
            last.status(),
            last.detail() + "; server stopped");
        return;
      }
    }
  }

  private Attempt attempt(Job job, byte[] body) {
    NotificationWebhook webhook = job.target().webhook();
    if (webhook.secret().isPresent() && job.target().signer().isEmpty()) {
      return new Attempt(false, false, Optional.empty(), "its secret could not be read");
    }
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(webhook.url())
            .timeout(options.timeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "Tagflow/" + TagflowVersion.current().version())
            .header(EVENT, job.notification().event().word())
            .header(DELIVERY, job.id())
            .header(Signer.TIMESTAMP, Long.toString(timestamp))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    job.target()
        .signer()
        .ifPresent(signer -> request.header(Signer.SIGNATURE, signer.sign(timestamp, body)));
    Optional<HttpClient> client = http();
    if (client.isEmpty()) {
      return new Attempt(false, false, Optional.empty(), "server stopped");
    }
    try {
      HttpResponse<Void> response =
          client.get().send(request.build(), HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return new Attempt(true, false, Optional.of(status), "OK");
      }
      boolean retry = status >= 500 || status == 408 || status == 429;
      return new Attempt(false, retry, Optional.of(status), "HTTP " + status);
    } catch (HttpTimeoutException e) {
      return new Attempt(
          false,
          true,
          Optional.empty(),
          "no answer within " + options.timeout().toMillis() + " ms");
    } catch (ConnectException e) {
      return new Attempt(false, true, Optional.empty(), "connection refused or unreachable");
    } catch (IOException e) {
      return new Attempt(
          false,
          true,
          Optional.empty(),
          e.getClass().getSimpleName()
              + ": "
              + UrlRedaction.redact(String.valueOf(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(false, false, Optional.empty(), "server stopped");
    }
  }

  private Duration backoff(int attempt) {
    Duration wait = options.firstBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
    return wait.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : wait;
  }

  /** Records one attempt in the store; a store that fails is logged, the delivery goes on. */
  private Delivery record(
      Job job, Delivery.Result result, int attempt, Optional<Integer> status, String detail) {
    Notification n = job.notification();
    Delivery delivery =
        new Delivery(
            job.id(),
            job.target().project(),
            job.target().webhook().name(),
            n.event(),
            n.subject(),
            result,
            attempt,
            status,
            detail,
            clock.instant());
    try {
      attempts.record(delivery.attempt(), options.recentPerWebhook());
    } catch (RuntimeException e) {
      log.error(
          "webhook={} project={} event={} {} delivery={}: attempt {} ({}) not recorded: {}",
          delivery.webhook(),
          delivery.project(),
          n.event().word(),
          n.subject(),
          job.id(),
          attempt,
          result.word(),
          e.getMessage());
    }
    return delivery;
  }

  private void finish(
      Job job, Delivery.Result result, int attempts, Optional<Integer> status, String detail) {
    Notification n = job.notification();
    Delivery delivery = record(job, result, attempts, status, detail);
    Counter.builder("tagflow.notifications")
        .description("Notifications by how their delivery ended")
        .tag("result", result.word())
        .tag("event", n.event().word())
        .register(meters)
        .increment();
    if (result == Delivery.Result.DELIVERED) {
      log.info(
          "webhook={} project={} event={} {} revision={} delivery={}: delivered ({} attempts)",
          delivery.webhook(),
          delivery.project(),
          n.event().word(),
          n.subject(),
          n.revision().orElse("?"),
          job.id(),
          attempts);
    } else {
      log.warn(
          "webhook={} project={} event={} {} revision={} delivery={}: {} after {} attempts: {}",
          delivery.webhook(),
          delivery.project(),
          n.event().word(),
          n.subject(),
          n.revision().orElse("?"),
          job.id(),
          result.word(),
          attempts,
          detail);
    }
  }

  private static Optional<Signer> signer(String project, NotificationWebhook webhook) {
    if (webhook.secret().isEmpty()) {
      return Optional.empty();
    }
    String key;
    try {
      key =
          switch (webhook.secret().get()) {
            case SecretSource.File file -> Files.readString(file.path(), StandardCharsets.UTF_8);
            case SecretSource.Env env ->
                Objects.requireNonNullElse(System.getenv(env.variable()), "");
          };
    } catch (IOException e) {
      log.error(
          "webhook={} project={}: its secret cannot be read ({}); its deliveries fail until it can",
          webhook.name(),
          project,
          e.getMessage());
      return Optional.empty();
    }
    // A key file written with an editor ends with a new line that is not part of the key.
    String stripped = key.replaceAll("[\\r\\n]+$", "");
    if (stripped.isEmpty()) {
      log.error(
          "webhook={} project={}: its secret is empty; its deliveries fail until it is set",
          webhook.name(),
          project);
      return Optional.empty();
    }
    return Optional.of(new Signer(stripped.getBytes(StandardCharsets.UTF_8)));
  }

  /** Stops sending: queued notifications are dropped, deliveries under way are interrupted. */
  @Override
  public void close() {
    closed = true;
    dispatcher.interrupt();
    List<Thread> under;
    synchronized (workers) {
      under = List.copyOf(workers);
    }
    under.forEach(Thread::interrupt);
    for (Thread t : under) {
      try {
        t.join(Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    synchronized (this) {
      if (http != null) {
        http.close();
      }
    }
  }
}
