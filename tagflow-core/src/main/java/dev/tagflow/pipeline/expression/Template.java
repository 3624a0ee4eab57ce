package dev.tagflow.pipeline.expression;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A workflow string with zero or more {@code ${{ }}} in it, as a {@code run:}, {@code with:} or
 * {@code env:} value: {@code "echo ${{ github.ref_name }} > version"}. Each expression's value is
 * written in as {@link Value#asText()} writes it.
 *
 * <p>A {@code }}} inside a quoted string of the expression does not end it ({@code ${{
 * format('{{0}}', x) }}}); a {@code ${{} that is never closed is an error with its column.
 */
public final class Template {

  /** A piece of the template: text as it is, or an expression. */
  private sealed interface Part {
    record Literal(String text) implements Part {}

    /** An expression whose text starts at {@code offset} of the template. */
    record Embedded(Expression expression, int offset) implements Part {}
  }

  private final String text;
  private final List<Part> parts;
  private final Set<String> contexts;

  private Template(String text, List<Part> parts) {
    this.text = text;
    this.parts = List.copyOf(parts);
    Set<String> names = new TreeSet<>();
    for (Part part : parts) {
      if (part instanceof Part.Embedded embedded) {
        names.addAll(embedded.expression().contexts());
      }
    }
    this.contexts = Collections.unmodifiableSet(names);
  }

  /**
   * Parses a template with the default limits.
   *
   * @throws ExpressionException saying what is wrong and at which column of the whole string
   */
  public static Template parse(String text) {
    return parse(text, ExpressionLimits.defaults());
  }

  /** Parses a template within {@code limits}; {@code maxLength} bounds the whole string. */
  public static Template parse(String text, ExpressionLimits limits) {
    if (text.length() > limits.maxStringChars()) {
      throw ExpressionException.at(
          limits.maxStringChars(),
          "the value is longer than " + limits.maxStringChars() + " characters");
    }
    List<Part> parts = new ArrayList<>();
    int from = 0;
    while (from < text.length()) {
      int open = text.indexOf("${{", from);
      if (open < 0) {
        parts.add(new Part.Literal(text.substring(from)));
        break;
      }
      if (open > from) {
        parts.add(new Part.Literal(text.substring(from, open)));
      }
      int inner = open + 3;
      int close = closing(text, inner);
      if (close < 0) {
        throw ExpressionException.at(open, "'${{' is not closed with '}}'");
      }
      try {
        parts.add(new Part.Embedded(Expression.parse(text.substring(inner, close), limits), inner));
      } catch (ExpressionException e) {
        throw e.shifted(inner);
      }
      from = close + 2;
    }
    return new Template(text, parts);
  }

  /** Where the '}}' ending an expression starting at {@code from} is, skipping quoted strings. */
  private static int closing(String text, int from) {
    boolean quoted = false;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'') {
        quoted = !quoted; // '' inside a string toggles twice: still inside
      } else if (!quoted && c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
        return i;
      }
    }
    return -1;
  }

  /**
   * The string with every expression's value written in.
   *
   * @throws ExpressionException if an expression fails, or the result passes the limits
   */
  public String render(Contexts contexts) {
    Budget budget = new Budget(contexts.limits());
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      switch (part) {
        case Part.Literal literal -> out.append(literal.text());
        case Part.Embedded embedded ->
            out.append(Text.of(embedded.expression().evaluate(contexts, budget), budget));
      }
      budget.check(out.length(), "the value");
    }
    return out.toString();
  }

  /**
   * The value: an expression's own value when the string is nothing but one {@code ${{ }}} (so
   * {@code ${{ fromJSON(x) }}} stays an object and {@code ${{ 3 }}} a number, as GitHub keeps it
   * for {@code strategy.matrix} or {@code timeout-minutes}), otherwise the rendered string.
   */
  public Value evaluate(Contexts contexts) {
    Optional<Expression> single = single();
    return single.isPresent() ? single.get().evaluate(contexts) : Value.of(render(contexts));
  }

  /** Refuses the first context or special function not available at {@code place}. */
  void checkAvailable(Place place) {
    checkAvailable(place, 0);
  }

  void checkAvailable(Place place, int shift) {
    for (Part part : parts) {
      if (part instanceof Part.Embedded embedded) {
        embedded.expression().checkAvailable(place, embedded.offset() + shift);
      }
    }
  }

  /** The expression, when the string is nothing but one {@code ${{ }}}. */
  Optional<Expression> single() {
    if (parts.size() == 1 && parts.getFirst() instanceof Part.Embedded embedded) {
      return Optional.of(embedded.expression());
    }
    return Optional.empty();
  }

  /** Whether there is no {@code ${{ }}} in it: it renders as itself. */
  public boolean isLiteral() {
    return parts.stream().noneMatch(part -> part instanceof Part.Embedded);
  }

  /** The expressions in it, in order. */
  public List<Expression> expressions() {
    List<Expression> expressions = new ArrayList<>();
    for (Part part : parts) {
      if (part instanceof Part.Embedded embedded) {
        expressions.add(embedded.expression());
      }
    }
    return expressions;
  }

  /** The names its expressions read from {@code context} by a fixed key. */
  public Set<String> keysReadFrom(String context) {
    Set<String> keys = new java.util.TreeSet<>();
    expressions().forEach(e -> keys.addAll(e.keysReadFrom(context)));
    return keys;
  }

  /** The contexts its expressions read, by lower-case name. */
  public Set<String> contexts() {
    return contexts;
  }

  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
