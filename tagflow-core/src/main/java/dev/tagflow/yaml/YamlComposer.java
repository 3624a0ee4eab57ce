package dev.tagflow.yaml;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML as SnakeYAML's node graph, which keeps the line and column of every key and value, within
 * {@link YamlLimits}. Nodes are composed, never constructed into objects, so a file cannot name
 * Java types. An aliased node appears in the graph once, shared; its expanded size is counted while
 * composing, so whoever walks the graph walks at most the limits. Merge keys ({@code <<: *base})
 * are resolved: keys of the mapping win over merged ones, earlier merged mappings over later.
 *
 * <p>SnakeYAML's syntax errors ({@code MarkedYAMLException}) pass through, for callers that place
 * them in their own reports, and so do the few malformed texts SnakeYAML fails on with an exception
 * of the JDK's, as a {@code MarkedYAMLException} too, and a scalar whose value does not fit its
 * explicit type tag ({@code !!int +}); passing a limit is a {@code TagflowException} naming
 * file:line:column.
 */
public final class YamlComposer {

  private final YamlLimits limits;

  public YamlComposer(YamlLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public YamlLimits limits() {
    return limits;
  }

  /**
   * Every document of the text, in order, each composed as it is asked for, so a caller sees the
   * documents before a mistake further on ({@code file} names the text in messages).
   */
  public Iterable<Node> composeAll(String file, String text) {
    Reading reading = reading(file, text, 0);
    return () ->
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return reading.guarded(reading.composer()::checkNode);
          }

          @Override
          public Node next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return reading.guarded(reading.composer()::getNode);
          }
        };
  }

  /**
   * The one document of a text that is part of a file (a block of YAML in a YAML field), or null
   * when it is empty.
   *
   * @param lineOffset lines of the file before the text, so messages name the file's lines
   */
  public Node composeOne(String file, String text, int lineOffset) {
    Reading reading = reading(file, text, lineOffset);
    return reading.guarded(reading.composer()::getSingleNode);
  }

  private Reading reading(String file, String text, int lineOffset) {
    limits.checkLength(file, text);
    LoaderOptions options = limits.loaderOptions();
    options.setMergeOnCompose(true);
    // Readers find duplicate keys themselves, with their line.
    options.setAllowDuplicateKeys(true);
    StreamReader reader = new StreamReader(text);
    Metered events =
        new Metered(new ParserImpl(reader, options), new ExpansionMeter(file, limits, lineOffset));
    return new Reading(new Composer(events, new Resolver(), options), reader, events);
  }

  /** A composer, the reader it takes the text from, and the events it took. */
  private record Reading(Composer composer, StreamReader reader, Metered events) {

    /**
     * What the composer returns; where SnakeYAML fails on malformed text with an exception of the
     * JDK's instead of its own, its own kind of error: an escape of hexadecimal digits cut short at
     * the end of the text (a NumberFormatException of its scanner, placed where the reader
     * stopped), a tag that decodes to one with spaces around it (of its composer, placed at the
     * node).
     */
    <T> T guarded(Supplier<T> step) {
      try {
        return step.get();
      } catch (NumberFormatException cutShort) {
        throw new UnreadableYaml(reader.getMark(), cutShort);
      } catch (IllegalArgumentException malformed) {
        Mark at = events.last() == null ? reader.getMark() : events.last().getStartMark();
        throw new UnreadableYaml(at, malformed);
      }
    }
  }

  /** YAML that SnakeYAML failed on without an error of its own: see {@link Reading#guarded}. */
  static final class UnreadableYaml extends MarkedYAMLException {

    UnreadableYaml(Mark at, IllegalArgumentException cause) {
      super(null, null, problem(cause), at, cause);
    }

    /** A scalar whose value does not fit its explicit type tag ({@link ScalarTags}). */
    UnreadableYaml(Mark at, String problem) {
      super(null, null, problem, at);
    }

    private static String problem(IllegalArgumentException cause) {
      return cause instanceof NumberFormatException
          ? "an escape sequence (\\x, \\u or \\U) is cut short: it takes 2, 4 or 8 hexadecimal"
              + " digits"
          : cause.getMessage();
    }
  }

  /**
   * SnakeYAML's parser, with every event counted as the composer takes it, and every scalar with an
   * explicit type tag checked against it (as {@link YamlReader} does).
   */
  private static final class Metered implements Parser {

    private final Parser parser;
    private final ExpansionMeter meter;
    private Event last;

    Metered(Parser parser, ExpansionMeter meter) {
      this.parser = parser;
      this.meter = meter;
    }

    /** The event the composer took last, which it is composing if it fails; null before any. */
    Event last() {
      return last;
    }

    @Override
    public boolean checkEvent(Event.ID choice) {
      return parser.checkEvent(choice);
    }

    @Override
    public Event peekEvent() {
      return parser.peekEvent();
    }

    @Override
    public Event getEvent() {
      Event event = parser.getEvent();
      if (event != null) {
        meter.observe(event);
        last = event;
        if (event instanceof ScalarEvent scalar) {
          Optional<String> mismatch = ScalarTags.mismatch(scalar);
          if (mismatch.isPresent()) {
            throw new UnreadableYaml(scalar.getStartMark(), mismatch.get());
          }
        }
      }
      return event;
    }
  }
}
