package dev.tagflow.pipeline.expression;

import java.util.List;

/**
 * A parsed expression as a tree. Every node knows where it starts in the text (for messages) and
 * how deep it is (so the limit is checked as the tree is built, without walking it).
 */
sealed interface Node {

  int offset();

  int depth();

  /** Whether this node makes an object filter's array ({@code a.*}, {@code a.*.b}). */
  default boolean filters() {
    return false;
  }

  record Literal(Value value, int offset) implements Node {
    @Override
    public int depth() {
      return 1;
    }
  }

  /** A context by name ({@code github}), the name in lower case. */
  record Context(String name, int offset) implements Node {
    @Override
    public int depth() {
      return 1;
    }
  }

  /** {@code target.name}, {@code target[key]}, {@code target.*} or {@code target[*]}. */
  record Index(Node target, Node key, boolean wildcard, int offset, int depth) implements Node {
    @Override
    public boolean filters() {
      return wildcard || target.filters();
    }
  }

  record Not(Node operand, int offset, int depth) implements Node {}

  enum Operator {
    EQUAL("=="),
    NOT_EQUAL("!="),
    LESS("<"),
    LESS_OR_EQUAL("<="),
    GREATER(">"),
    GREATER_OR_EQUAL(">=");

    final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }
  }

  record Compare(Operator operator, Node left, Node right, int offset, int depth) implements Node {}

  /** {@code a && b && c}: the first falsy operand, or the last. */
  record And(List<Node> operands, int offset, int depth) implements Node {}

  /** {@code a || b || c}: the first truthy operand, or the last. */
  record Or(List<Node> operands, int offset, int depth) implements Node {}

  record Call(Builtin function, List<Node> arguments, int offset, int depth) implements Node {}
}
