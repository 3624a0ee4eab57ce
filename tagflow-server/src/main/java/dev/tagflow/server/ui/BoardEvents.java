package dev.tagflow.server.ui;

import dev.tagflow.app.Application;
import dev.tagflow.reconcile.ApplicationStatuses;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UI's server-sent events. On a board, each status change of an application becomes an event
 * named after its cell ({@link Board#eventOf}) carrying the cell's new HTML, sent to every open
 * board whose viewer may see that application; an application the board did not show yet sends
 * {@value #BOARD_EVENT} instead, on which the page fetches its table again (a new row or column).
 * On an application page, each change of that application sends {@value ApplicationPage#LIVE_EVENT}
 * with the page's live part, rendered for its viewer. A bounded number of streams per session, a
 * heartbeat comment so proxies keep them open, and all closed when the server stops.
 */
final class BoardEvents implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BoardEvents.class);

  /** The event that tells a board to fetch its table again: an application it lacks appeared. */
  static final String BOARD_EVENT = "board";

  /**
   * One open stream: whose (its session or principal) and what it may see; a board's knows the
   * applications its page shows, an application page's names its application and how to render it.
   */
  private record Stream(
      String owner,
      SseClient client,
      Predicate<Application> visible,
      Set<String> shown,
      Optional<PageTopic> page) {}

  /** What an application page's stream follows. */
  private record PageTopic(String application, Supplier<String> render) {}

  private final BoardSource source;
  private final Function<Board.Cell, String> render;
  private final int perSession;
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
  private final ScheduledExecutorService heartbeat =
      Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
  private final ApplicationStatuses.Subscription subscription;
  private volatile boolean closed;

  BoardEvents(
      BoardSource source, Function<Board.Cell, String> render, int perSession, Duration every) {
    this.source = source;
    this.render = render;
    this.perSession = perSession;
    // The status listener runs on the reconciling thread: hand the work on at once.
    this.subscription = source.subscribe(name -> sender.execute(() -> changed(name)));
    heartbeat.scheduleWithFixedDelay(
        this::beat, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Streams open now. */
  int open() {
    return streams.size();
  }

  /**
   * Opens a stream for {@code owner}: 406 unless the client asks for an event stream (so a plain
   * GET does not hang), 429 when the owner has {@code perSession} open already, 503 once stopping.
   */
  void open(Context ctx, String owner, Predicate<Application> visible) throws Exception {
    Set<String> shown = ConcurrentHashMap.newKeySet();
    source.entries().stream()
        .filter(e -> visible.test(e.application()))
        .forEach(e -> shown.add(e.application().name()));
    open(ctx, owner, visible, shown, Optional.empty());
  }

  /**
   * Opens the stream of an application page, as {@link #open(Context, String, Predicate)} does;
   * {@code render} gives the page's live part for its viewer.
   */
  void openPage(Context ctx, String owner, String application, Supplier<String> render)
      throws Exception {
    open(ctx, owner, app -> true, Set.of(), Optional.of(new PageTopic(application, render)));
  }

  private void open(
      Context ctx,
      String owner,
      Predicate<Application> visible,
      Set<String> shown,
      Optional<PageTopic> page)
      throws Exception {
    String accept = Optional.ofNullable(ctx.header("Accept")).orElse("");
    if (!accept.contains("text/event-stream")) {
      ctx.status(406)
          .result(
              "this is the board's event stream: open it with EventSource (Accept: text/event-stream)");
      return;
    }
    if (closed) {
      ctx.status(503).result("the server is stopping");
      return;
    }
    AtomicInteger count = counts.computeIfAbsent(owner, o -> new AtomicInteger());
    if (count.incrementAndGet() > perSession) {
      count.decrementAndGet();
      ctx.status(429)
          .result(
              "at most "
                  + perSession
                  + " live boards per session are open; close another tab of the board");
      return;
    }
    new SseHandler(
            client -> {
              Stream stream = new Stream(owner, client, visible, shown, page);
              streams.add(stream);
              client.onClose(
                  () -> {
                    if (streams.remove(stream)) {
                      counts.get(owner).decrementAndGet();
                    }
                  });
              client.sendComment(page.isPresent() ? "application events" : "board events");
              // A change between the page's render and this stream would be lost: an application
              // page gets its live part once now (cheap: one application).
              page.ifPresent(
                  p -> client.sendEvent(ApplicationPage.LIVE_EVENT, oneLine(p.render().get())));
              client.keepAlive();
            })
        .handle(ctx);
  }

  private void changed(String application) {
    if (streams.isEmpty()) {
      return;
    }
    try {
      for (Stream stream : List.copyOf(streams)) {
        stream
            .page()
            .filter(p -> p.application().equals(application))
            .ifPresent(
                p ->
                    stream
                        .client()
                        .sendEvent(ApplicationPage.LIVE_EVENT, oneLine(p.render().get())));
      }
      source
          .entry(application)
          .ifPresent(
              entry -> {
                Board.Cell cell = Board.cellOf(entry, source.pending());
                String html = oneLine(render.apply(cell));
                for (Stream stream : List.copyOf(streams)) {
                  if (stream.page().isEmpty() && stream.visible().test(entry.application())) {
                    if (stream.shown().add(application)) {
                      // Not on that board yet: its table needs a row or a column more.
                      stream.client().sendEvent(BOARD_EVENT, application);
                    } else {
                      stream.client().sendEvent(cell.event(), html);
                    }
                  }
                }
              });
    } catch (RuntimeException e) {
      log.warn("application={} UI event not sent: {}", application, e.toString());
    }
  }

  /** An event's data is one line: the HTML's line breaks become spaces. */
  private static String oneLine(String html) {
    return html.replace("\r", "").replace("\n", " ");
  }

  private void beat() {
    for (Stream stream : List.copyOf(streams)) {
      try {
        stream.client().sendComment("heartbeat");
      } catch (RuntimeException gone) {
        stream.client().close();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    subscription.close();
    heartbeat.shutdownNow();
    sender.shutdownNow();
    for (Stream stream : List.copyOf(streams)) {
      stream.client().close();
    }
  }
}
