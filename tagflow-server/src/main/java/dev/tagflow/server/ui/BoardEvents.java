package dev.tagflow.server.ui;

import dev.tagflow.app.Application;
import dev.tagflow.reconcile.ApplicationStatuses;
import dev.tagflow.store.PromotionRecord;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UI's server-sent events. On a board, each status change of an application becomes an event
 * named after its cell ({@link Board#eventOf}) carrying the cell's new HTML, sent to every open
 * board whose viewer may see that application; an application the board did not show yet, or one
 * removed (from Git), sends {@value #BOARD_EVENT} instead, on which the page fetches its table
 * again (a row or column more or less). Every change has a version: a board page carries the one it
 * was rendered at ({@link #version()}) and its stream first sends what changed since (the changes
 * between the page's render and the stream's opening are not lost); each event's id is that
 * version, so a browser that reconnects with {@code Last-Event-ID} gets what it missed. On an
 * application page, each change of that application sends {@value ApplicationPage#LIVE_EVENT} with
 * the page's live part, rendered for its viewer. A bounded number of streams per session, a
 * heartbeat comment so proxies keep them open, and all closed when the server stops.
 */
final class BoardEvents implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BoardEvents.class);

  /**
   * The event that tells a board to fetch its table again: an application it lacks appeared, or one
   * it shows was removed.
   */
  static final String BOARD_EVENT = "board";

  /**
   * Applications whose last change is remembered (changed, added, removed): past that many the
   * memory starts again, and a stream from before gets {@value #BOARD_EVENT} (the whole table).
   */
  static final int REMEMBERED = 20_000;

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
  private final AtomicLong version = new AtomicLong();

  /** The version of each application's last change. */
  private final Map<String, Long> changedAt = new ConcurrentHashMap<>();

  /** The version at which an application appeared, for those that appeared after the start. */
  private final Map<String, Long> addedAt = new ConcurrentHashMap<>();

  /** The applications known now: registered at the start, or heard of since and not removed. */
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  /** Changes up to this version are forgotten (see {@link #REMEMBERED}). */
  private volatile long forgotten;

  private volatile boolean closed;

  BoardEvents(
      BoardSource source, Function<Board.Cell, String> render, int perSession, Duration every) {
    this.source = source;
    this.render = render;
    this.perSession = perSession;
    source.entries().forEach(e -> known.add(e.application().name()));
    // The status listener runs on the reconciling thread, after the status is stored: count the
    // change there (a page rendered before it read this version), hand the rest on at once.
    this.subscription =
        source.subscribe(
            name -> {
              long at = remember(name);
              sender.execute(() -> changed(name, at));
            });
    heartbeat.scheduleWithFixedDelay(
        this::beat, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Streams open now. */
  int open() {
    return streams.size();
  }

  /**
   * The version of the latest change: read before a board is rendered, and given back by its stream
   * ({@code ?since=}), which first sends what changed after it.
   */
  long version() {
    return version.get();
  }

  private synchronized long remember(String application) {
    if (changedAt.size() >= REMEMBERED && !changedAt.containsKey(application)) {
      forgotten = version.get();
      changedAt.clear();
      addedAt.clear();
    }
    long at = version.incrementAndGet();
    changedAt.put(application, at);
    if (source.entry(application).isPresent()) {
      if (known.add(application)) {
        addedAt.put(application, at);
      }
    } else {
      known.remove(application);
      addedAt.remove(application);
    }
    return at;
  }

  /**
   * Opens a board's stream for {@code owner}: 406 unless the client asks for an event stream (so a
   * plain GET does not hang), 429 when the owner has {@code perSession} open already, 503 once
   * stopping. Its first events are what changed after the version the page was rendered at: the
   * {@code Last-Event-ID} header (a reconnecting browser), else the {@code since} query parameter;
   * without either, the board shown is taken as the current one.
   */
  void open(Context ctx, String owner, Predicate<Application> visible) throws Exception {
    OptionalLong reconnect = since(ctx.header("Last-Event-ID"));
    OptionalLong since = reconnect.isPresent() ? reconnect : since(ctx.queryParam("since"));
    long at = since.orElse(version.get());
    // What the page showed: what is visible now, but for what appeared after it was rendered.
    Set<String> shown = ConcurrentHashMap.newKeySet();
    source.entries().stream()
        .filter(e -> visible.test(e.application()))
        .map(e -> e.application().name())
        .filter(name -> addedAt.getOrDefault(name, 0L) <= at)
        .forEach(shown::add);
    open(ctx, owner, visible, shown, Optional.empty(), at);
  }

  private static OptionalLong since(String value) {
    return value != null && value.matches("\\d{1,18}")
        ? OptionalLong.of(Long.parseLong(value))
        : OptionalLong.empty();
  }

  /**
   * Opens the stream of an application page, as {@link #open(Context, String, Predicate)} does;
   * {@code render} gives the page's live part for its viewer.
   */
  void openPage(Context ctx, String owner, String application, Supplier<String> render)
      throws Exception {
    open(
        ctx,
        owner,
        app -> true,
        Set.of(),
        Optional.of(new PageTopic(application, render)),
        version.get());
  }

  private void open(
      Context ctx,
      String owner,
      Predicate<Application> visible,
      Set<String> shown,
      Optional<PageTopic> page,
      long since)
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
              if (page.isEmpty() && since != version.get()) {
                sender.execute(() -> catchUp(stream, since));
              }
              client.keepAlive();
            })
        .handle(ctx);
  }

  /**
   * Sends a board's stream what changed after {@code since}: each changed cell it shows, or {@value
   * #BOARD_EVENT} once when an application appeared or went away (the table is fetched whole).
   */
  private void catchUp(Stream stream, long since) {
    try {
      long now = version.get();
      // Forgotten, or a version of the server before it restarted: the whole table again.
      if (since < forgotten || since > now) {
        stream.client().sendEvent(BOARD_EVENT, "since " + since, String.valueOf(now));
        return;
      }
      List<PromotionRecord> pending = source.pending();
      boolean table = false;
      for (Map.Entry<String, Long> change : Map.copyOf(changedAt).entrySet()) {
        if (change.getValue() <= since) {
          continue;
        }
        String application = change.getKey();
        Optional<Board.Entry> entry = source.entry(application);
        if (entry.isEmpty()) {
          table |= stream.shown().remove(application);
        } else if (stream.visible().test(entry.get().application())) {
          if (!stream.shown().contains(application)) {
            table = true;
            stream.shown().add(application);
          } else {
            Board.Cell cell = Board.cellOf(entry.get(), pending);
            stream
                .client()
                .sendEvent(cell.event(), oneLine(render.apply(cell)), String.valueOf(now));
          }
        }
      }
      if (table) {
        stream.client().sendEvent(BOARD_EVENT, "since " + since, String.valueOf(now));
      }
    } catch (RuntimeException e) {
      log.warn("UI board stream not caught up since version {}: {}", since, e.toString());
    }
  }

  private void changed(String application, long at) {
    if (streams.isEmpty()) {
      return;
    }
    String id = String.valueOf(at);
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
      Optional<Board.Entry> current = source.entry(application);
      if (current.isEmpty()) {
        // Removed: a board that shows it needs a row (or a column) less.
        for (Stream stream : List.copyOf(streams)) {
          if (stream.page().isEmpty() && stream.shown().remove(application)) {
            stream.client().sendEvent(BOARD_EVENT, application, id);
          }
        }
        return;
      }
      Board.Entry entry = current.get();
      Board.Cell cell = Board.cellOf(entry, source.pending());
      String html = oneLine(render.apply(cell));
      for (Stream stream : List.copyOf(streams)) {
        if (stream.page().isEmpty() && stream.visible().test(entry.application())) {
          if (stream.shown().add(application)) {
            // Not on that board yet: its table needs a row or a column more.
            stream.client().sendEvent(BOARD_EVENT, application, id);
          } else {
            stream.client().sendEvent(cell.event(), html, id);
          }
        }
      }
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
