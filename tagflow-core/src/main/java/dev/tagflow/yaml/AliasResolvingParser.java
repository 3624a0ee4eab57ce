package dev.tagflow.yaml;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Jackson's YAML parser with aliases resolved. Jackson on its own reads {@code *name} as the text
 * "name", so {@code sidecar: *img} would render as {@code sidecar: img}; here the events of the
 * anchored node are played again in its place, so Jackson types and checks them as if they were
 * written out. Every event read is counted first by an {@link ExpansionMeter}, which knows the
 * expanded size of each anchor, so an alias that would pass a limit fails before a single event of
 * it is played.
 *
 * <p>A scalar with an explicit type tag whose value is not of that type ({@code !!int +}) is a
 * parse error at the scalar ({@link ScalarTags}).
 *
 * <p>It also tells whether the field name just read is a merge key (a plain {@code <<}, not a
 * quoted one), which {@link YamlReader} resolves.
 */
final class AliasResolvingParser extends YAMLParser {

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

  /** Where the events given to Jackson are in a mapping: at a key or at a value. */
  private static final class Level {
    final boolean mapping;
    boolean atKey = true;

    Level(boolean mapping) {
      this.mapping = mapping;
    }
  }

  private final ExpansionMeter meter;

  /** Events of the current document inside anchored nodes: only those can be played again. */
  private final List<Recorded> recorded = new ArrayList<>();

  private final Map<String, Recorded> anchors = new HashMap<>();
  private final Deque<Open> open = new ArrayDeque<>();
  private int anchoredOpen;
  private final Deque<Replay> replays = new ArrayDeque<>();
  private final Deque<Level> levels = new ArrayDeque<>();
  private boolean mergeKey;

  AliasResolvingParser(
      IOContext context,
      int parserFeatures,
      int yamlFeatures,
      LoaderOptions options,
      ObjectCodec codec,
      Reader reader,
      ExpansionMeter meter) {
    super(context, parserFeatures, yamlFeatures, options, codec, reader);
    this.meter = meter;
  }

  /** Whether the field name just read is a merge key ({@code <<} written plain). */
  boolean atMergeKey() {
    return mergeKey;
  }

  @Override
  protected Event getEvent() throws IOException {
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
        event = next.event();
      } else {
        event = super.getEvent();
        if (event == null) {
          return null;
        }
        // Fails here, before anything of an alias that passes a limit is played.
        meter.observe(event);
        if (event instanceof ScalarEvent scalar) {
          // A replayed scalar was checked when it was first read.
          Optional<String> mismatch = ScalarTags.mismatch(scalar);
          if (mismatch.isPresent()) {
            throw new JsonParseException(this, mismatch.get(), _locationFor(scalar.getStartMark()));
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
      }
      follow(event);
      return event;
    }
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

  /** Follows keys and values of the events Jackson gets, to tell merge keys. */
  private void follow(Event event) {
    mergeKey = false;
    if (event instanceof ScalarEvent || event instanceof CollectionStartEvent) {
      Level level = levels.peek();
      if (level != null && level.mapping) {
        if (level.atKey && event instanceof ScalarEvent scalar) {
          mergeKey = scalar.isPlain() && scalar.getTag() == null && "<<".equals(scalar.getValue());
        }
        level.atKey = !level.atKey;
      }
      if (event instanceof CollectionStartEvent) {
        levels.push(new Level(event instanceof MappingStartEvent));
      }
    } else if (event instanceof CollectionEndEvent && !levels.isEmpty()) {
      levels.pop();
    }
  }
}
