package dev.tagflow.yaml;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * SnakeYAML's events with aliases resolved: SnakeYAML gives {@code *name} as one event, and here
 * the events of the anchored node are played again in its place, so {@link YamlReader} types and
 * checks them as if they were written out. Every event read is counted first by an {@link
 * ExpansionMeter}, which knows the expanded size of each anchor, so an alias that would pass a
 * limit fails before a single event of it is played.
 *
 * <p>A scalar with an explicit type tag whose value is not of that type ({@code !!int +}) is a
 * {@link ParseFailure} at the scalar ({@link ScalarTags}); so is invalid YAML, at the end of the
 * last event given out (where Jackson 2, which these events used to feed, placed it).
 */
final class AliasResolvingEvents {

  /** An event as read; for an alias, where the events of the node it stood for then are. */
  private record Recorded(Event event, int from, int to) {}

  /** A mapping or list being read, and where its events start if it is anchored. */
  private record Open(String anchor, int from) {}

  /** Events being played again in place of an alias. */
  private static final class Replay {
    int next;
    final int to;

    Replay(int from, int to) {
      this.next = from;
      this.to = to;
    }
  }

  private final Parser parser;
  private final ExpansionMeter meter;

  /** Events of the current document inside anchored nodes: only those can be played again. */
  private final List<Recorded> recorded = new ArrayList<>();

  private final Map<String, Recorded> anchors = new HashMap<>();
  private final Deque<Open> open = new ArrayDeque<>();
  private int anchoredOpen;
  private final Deque<Replay> replays = new ArrayDeque<>();
  private Event last;

  AliasResolvingEvents(String text, LoaderOptions options, ExpansionMeter meter) {
    this.parser = new ParserImpl(new StreamReader(new StringReader(text)), options);
    this.meter = meter;
  }

  /** The last event given out; null before the first. */
  Event last() {
    return last;
  }

  /**
   * The next event, aliases played as the events they stand for; null after the stream's end.
   *
   * @throws ParseFailure when the text is not valid YAML or a scalar does not fit its type tag
   * @throws dev.tagflow.TagflowException (INVALID_INPUT) when the text passes a limit
   */
  Event next() {
    Event event = nextEvent();
    if (event != null) {
      last = event;
    }
    return event;
  }

  private Event nextEvent() {
    while (true) {
      Event event;
      Replay replay = replays.peek();
      if (replay != null) {
        if (replay.next == replay.to) {
          replays.pop();
          continue;
        }
        Recorded next = recorded.get(replay.next++);
        if (next.event() instanceof AliasEvent) {
          replays.push(new Replay(next.from(), next.to()));
          continue;
        }
        return next.event();
      }
      event = read();
      if (event == null) {
        return null;
      }
      // Fails here, before anything of an alias that passes a limit is played.
      meter.observe(event);
      if (event instanceof ScalarEvent scalar) {
        // A replayed scalar was checked when it was first read.
        Optional<String> mismatch = ScalarTags.mismatch(scalar);
        if (mismatch.isPresent()) {
          throw new ParseFailure(mismatch.get(), scalar.getStartMark());
        }
      }
      if (event instanceof AliasEvent alias) {
        Recorded anchored = anchors.get(alias.getAnchor()); // the meter knows it exists
        if (anchoredOpen > 0) {
          recorded.add(new Recorded(alias, anchored.from(), anchored.to()));
        }
        replays.push(new Replay(anchored.from(), anchored.to()));
        continue;
      }
      record(event);
      return event;
    }
  }

  /** SnakeYAML's next event, its failures as Jackson 2 worded them; null after the stream's end. */
  private Event read() {
    try {
      return parser.getEvent();
    } catch (YAMLException e) {
      throw new ParseFailure(e.getMessage(), lastMark(), e);
    } catch (NumberFormatException e) {
      // SnakeYAML fails so on an escape of hexadecimal digits cut short at the end of the text.
      throw new ParseFailure(
          String.format(
              "Malformed Number token: failed to tokenize due to (%s): %s",
              e.getClass().getName(), e.getMessage()),
          lastMark(),
          e);
    }
  }

  private Mark lastMark() {
    return last == null ? null : last.getEndMark();
  }

  /** Keeps the events of anchored nodes, and where each anchored node's events are. */
  private void record(Event event) {
    switch (event) {
      case DocumentStartEvent start -> {
        recorded.clear();
        anchors.clear();
      }
      case CollectionStartEvent start -> {
        open.push(new Open(start.getAnchor(), recorded.size()));
        if (start.getAnchor() != null) {
          anchoredOpen++;
        }
        keep(event);
      }
      case CollectionEndEvent end -> {
        keep(event);
        Open closed = open.pop();
        if (closed.anchor() != null) {
          anchors.put(closed.anchor(), new Recorded(event, closed.from(), recorded.size()));
          anchoredOpen--;
        }
      }
      case ScalarEvent scalar when scalar.getAnchor() != null -> {
        anchors.put(scalar.getAnchor(), new Recorded(event, recorded.size(), recorded.size() + 1));
        recorded.add(new Recorded(event, 0, 0));
      }
      default -> keep(event);
    }
  }

  private void keep(Event event) {
    if (anchoredOpen > 0) {
      recorded.add(new Recorded(event, 0, 0));
    }
  }
}
