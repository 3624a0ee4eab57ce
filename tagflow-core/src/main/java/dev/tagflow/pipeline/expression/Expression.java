package dev.tagflow.pipeline.expression;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * One expression of GitHub's language, the inside of {@code ${{ }}}: parsed once when the workflow
 * is loaded (so a mistake is reported with its column before anything runs), evaluated as often as
 * needed.
 *
 * <pre>{@code
 * Expression e = Expression.parse("startsWith(github.ref, 'refs/tags/v')");
 * e.contexts();                     // [github]
 * Value v = e.evaluate(contexts);   // Value.TRUE for refs/tags/v1.2.3
 * }</pre>
 */
public final class Expression {

  private final String text;
  private final Node root;
  private final Set<String> contexts;
  private final boolean usesStatusFunction;

  private Expression(String text, Node root) {
    this.text = text;
    this.root = root;
    Set<String> names = new TreeSet<>();
    boolean[] status = {false};
    visit(root, names, status);
    this.contexts = Collections.unmodifiableSet(names);
    this.usesStatusFunction = status[0];
  }

  /**
   * Parses an expression with the default limits.
   *
   * @throws ExpressionException saying what is wrong and at which column
   */
  public static Expression parse(String text) {
    return parse(text, ExpressionLimits.defaults());
  }

  /** Parses an expression within {@code limits}. */
  public static Expression parse(String text, ExpressionLimits limits) {
    return new Expression(text, Parser.parse(text, limits));
  }

  /**
   * The value of the expression.
   *
   * @throws ExpressionException if a function refuses its arguments ({@code fromJSON} of text that
   *     is not JSON, a bad {@code format}), a limit is passed, or {@code hashFiles} cannot hash
   */
  public Value evaluate(Contexts contexts) {
    return new Evaluator(contexts, new Budget(contexts.limits())).evaluate(root);
  }

  /** The value, counted in a budget shared with other parts of the same template. */
  Value evaluate(Contexts contexts, Budget budget) {
    return new Evaluator(contexts, budget).evaluate(root);
  }

  /** The contexts the expression reads, by lower-case name ({@code github}, {@code steps}, …). */
  public Set<String> contexts() {
    return contexts;
  }

  /**
   * Whether it calls {@code success()}, {@code failure()}, {@code always()} or {@code cancelled()}.
   */
  public boolean usesStatusFunction() {
    return usesStatusFunction;
  }

  /**
   * The names the expression reads from a context by a fixed key: {@code NAME} of {@code
   * secrets.NAME} and {@code secrets['NAME']} for {@code context} {@code secrets}. A key computed
   * at run time ({@code secrets[matrix.name]}) names nothing here.
   */
  public Set<String> keysReadFrom(String context) {
    Set<String> keys = new TreeSet<>();
    keys(root, context.toLowerCase(java.util.Locale.ROOT), keys);
    return Collections.unmodifiableSet(keys);
  }

  private static void keys(Node node, String context, Set<String> keys) {
    switch (node) {
      case Node.Literal literal -> {}
      case Node.Context c -> {}
      case Node.Not not -> keys(not.operand(), context, keys);
      case Node.Compare compare -> {
        keys(compare.left(), context, keys);
        keys(compare.right(), context, keys);
      }
      case Node.And and -> and.operands().forEach(n -> keys(n, context, keys));
      case Node.Or or -> or.operands().forEach(n -> keys(n, context, keys));
      case Node.Index index -> {
        if (index.target() instanceof Node.Context c
            && c.name().equals(context)
            && index.key() instanceof Node.Literal literal
            && literal.value() instanceof Value.StringValue name) {
          keys.add(name.value());
        }
        keys(index.target(), context, keys);
        if (index.key() != null) {
          keys(index.key(), context, keys);
        }
      }
      case Node.Call call -> call.arguments().forEach(n -> keys(n, context, keys));
    }
  }

  /** The text it was parsed from. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }

  /** Refuses the first context or special function not available at {@code place}. */
  void checkAvailable(Place place, int shift) {
    check(root, place, shift);
  }

  private static void check(Node node, Place place, int shift) {
    switch (node) {
      case Node.Literal literal -> {}
      case Node.Context context -> {
        if (!place.contexts().contains(context.name())) {
          throw ExpressionException.at(context.offset() + shift, place.refusal(context.name()));
        }
      }
      case Node.Not not -> check(not.operand(), place, shift);
      case Node.Compare compare -> {
        check(compare.left(), place, shift);
        check(compare.right(), place, shift);
      }
      case Node.And and -> and.operands().forEach(n -> check(n, place, shift));
      case Node.Or or -> or.operands().forEach(n -> check(n, place, shift));
      case Node.Index index -> {
        check(index.target(), place, shift);
        if (index.key() != null) {
          check(index.key(), place, shift);
        }
      }
      case Node.Call call -> {
        if (!place.allows(call.function())) {
          throw ExpressionException.at(call.offset() + shift, place.refusal(call.function()));
        }
        call.arguments().forEach(n -> check(n, place, shift));
      }
    }
  }

  private static void visit(Node node, Set<String> contexts, boolean[] status) {
    switch (node) {
      case Node.Literal literal -> {}
      case Node.Context context -> contexts.add(context.name());
      case Node.Not not -> visit(not.operand(), contexts, status);
      case Node.Compare compare -> {
        visit(compare.left(), contexts, status);
        visit(compare.right(), contexts, status);
      }
      case Node.And and -> and.operands().forEach(n -> visit(n, contexts, status));
      case Node.Or or -> or.operands().forEach(n -> visit(n, contexts, status));
      case Node.Index index -> {
        visit(index.target(), contexts, status);
        if (index.key() != null) {
          visit(index.key(), contexts, status);
        }
      }
      case Node.Call call -> {
        status[0] |= call.function().isStatus();
        call.arguments().forEach(n -> visit(n, contexts, status));
      }
    }
  }
}
