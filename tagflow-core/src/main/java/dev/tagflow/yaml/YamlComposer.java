package dev.tagflow.yaml;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.events.Event;
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
 * them in their own reports; passing a limit is a {@code TagflowException} naming file:line:column.
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
    Composer composer = composer(file, text, 0);
    return () ->
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return composer.checkNode();
          }

          @Override
          public Node next() {
            if (!composer.checkNode()) {
              throw new NoSuchElementException();
            }
            return composer.getNode();
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
    return composer(file, text, lineOffset).getSingleNode();
  }

  private Composer composer(String file, String text, int lineOffset) {
    limits.checkLength(file, text);
    LoaderOptions options = limits.loaderOptions();
    options.setMergeOnCompose(true);
    // Readers find duplicate keys themselves, with their line.
    options.setAllowDuplicateKeys(true);
    Parser events =
        new Metered(
            new ParserImpl(new StreamReader(text), options),
            new ExpansionMeter(file, limits, lineOffset));
    return new Composer(events, new Resolver(), options);
  }

  /** SnakeYAML's parser, with every event counted as the composer takes it. */
  private record Metered(Parser parser, ExpansionMeter meter) implements Parser {

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
      }
      return event;
    }
  }
}
