package dev.tagflow.pipeline.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the text of one expression into a {@link Node} tree: a lexer and a recursive-descent parser
 * with GitHub's precedence, from loosest to tightest {@code ||}, {@code &&}, {@code == !=}, {@code
 * < <= > >=}, {@code !}, then {@code . []} and {@code ( )}.
 */
final class Parser {

  /** The contexts GitHub defines that Tagflow fills; any other name is refused. */
  static final Set<String> CONTEXTS =
      Set.of(
          "github",
          "env",
          "vars",
          "secrets",
          "steps",
          "needs",
          "matrix",
          "job",
          "runner",
          "inputs",
          "strategy");

  private enum Kind {
    NUMBER,
    STRING,
    NAME,
    LEFT_PAREN,
    RIGHT_PAREN,
    LEFT_BRACKET,
    RIGHT_BRACKET,
    DOT,
    COMMA,
    STAR,
    OPERATOR,
    END
  }

  private record Token(Kind kind, String text, int offset, Value value) {}

  private final String text;
  private final ExpressionLimits limits;
  private final List<Token> tokens;
  private int position;
  private int nesting;

  private Parser(String text, ExpressionLimits limits) {
    this.text = text;
    this.limits = limits;
    this.tokens = lex();
  }

  static Node parse(String text, ExpressionLimits limits) {
    if (text.length() > limits.maxLength()) {
      throw ExpressionException.at(
          limits.maxLength(),
          "the expression is longer than " + limits.maxLength() + " characters; split it up");
    }
    Parser parser = new Parser(text, limits);
    if (parser.peek().kind == Kind.END) {
      throw ExpressionException.at(0, "the expression is empty");
    }
    Node node = parser.or();
    Token rest = parser.peek();
    if (rest.kind != Kind.END) {
      throw ExpressionException.at(
          rest.offset, "unexpected '" + rest.text + "' after a complete expression");
    }
    return node;
  }

  // ---- lexer

  private List<Token> lex() {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (true) {
      while (i < text.length() && Text.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= text.length()) {
        out.add(new Token(Kind.END, "end of the expression", text.length(), null));
        return out;
      }
      char c = text.charAt(i);
      Kind previous = out.isEmpty() ? null : out.getLast().kind;
      int start = i;
      switch (c) {
        case '(' -> out.add(new Token(Kind.LEFT_PAREN, "(", i++, null));
        case ')' -> out.add(new Token(Kind.RIGHT_PAREN, ")", i++, null));
        case '[' -> out.add(new Token(Kind.LEFT_BRACKET, "[", i++, null));
        case ']' -> out.add(new Token(Kind.RIGHT_BRACKET, "]", i++, null));
        case ',' -> out.add(new Token(Kind.COMMA, ",", i++, null));
        case '*' -> out.add(new Token(Kind.STAR, "*", i++, null));
        case '\'' -> {
          StringBuilder value = new StringBuilder();
          i++;
          while (true) {
            if (i >= text.length()) {
              throw ExpressionException.at(start, "the string is not closed; end it with '");
            }
            char s = text.charAt(i++);
            if (s == '\'') {
              if (i < text.length() && text.charAt(i) == '\'') {
                i++; // '' is one quote
              } else {
                break;
              }
            }
            value.append(s);
          }
          out.add(
              new Token(Kind.STRING, text.substring(start, i), start, Value.of(value.toString())));
        }
        case '"' ->
            throw ExpressionException.at(
                i, "strings take single quotes in expressions ('text'), not double quotes");
        case '!', '=', '<', '>', '&', '|' -> {
          String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
          if (two.equals("==")
              || two.equals("!=")
              || two.equals("<=")
              || two.equals(">=")
              || two.equals("&&")
              || two.equals("||")) {
            out.add(new Token(Kind.OPERATOR, two, i, null));
            i += 2;
          } else if (c == '!' || c == '<' || c == '>') {
            out.add(new Token(Kind.OPERATOR, String.valueOf(c), i++, null));
          } else {
            throw ExpressionException.at(
                i, "unexpected '" + c + "'; the operators are == != < <= > >= && || !");
          }
        }
        default -> {
          boolean afterValue =
              previous == Kind.NAME
                  || previous == Kind.RIGHT_PAREN
                  || previous == Kind.RIGHT_BRACKET
                  || previous == Kind.STAR
                  || previous == Kind.STRING
                  || previous == Kind.NUMBER;
          if (c == '.' && afterValue) {
            out.add(new Token(Kind.DOT, ".", i++, null));
          } else if (c == '.' || c == '-' || c == '+' || (c >= '0' && c <= '9')) {
            i++;
            while (i < text.length() && !isBoundary(text.charAt(i), true)) {
              i++;
            }
            String number = text.substring(start, i);
            double value = NumberText.parse(number);
            if (Double.isNaN(value)) {
              throw ExpressionException.at(start, "'" + number + "' is not a number");
            }
            out.add(new Token(Kind.NUMBER, number, start, Value.of(value)));
          } else if (isNameStart(c)) {
            i++;
            while (i < text.length() && isNamePart(text.charAt(i))) {
              i++;
            }
            if (i < text.length() && !isBoundary(text.charAt(i), false)) {
              throw ExpressionException.at(i, unexpected(text.charAt(i)));
            }
            out.add(new Token(Kind.NAME, text.substring(start, i), start, null));
          } else {
            throw ExpressionException.at(i, unexpected(c));
          }
        }
      }
    }
  }

  private static String unexpected(char c) {
    if (c == '$' || c == '{' || c == '}') {
      return "unexpected '" + c + "': ${{ }} cannot be nested inside an expression";
    }
    return "unexpected character '" + printable(c) + "'";
  }

  private static String printable(char c) {
    return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9') || c == '-';
  }

  /** Where a name or number ends; a number runs on through '.' (so 1.5 is one token). */
  private static boolean isBoundary(char c, boolean inNumber) {
    return switch (c) {
      case '(', ')', '[', ']', ',', '!', '>', '<', '=', '&', '|' -> true;
      case '.' -> !inNumber;
      default -> Text.isWhitespace(c);
    };
  }

  // ---- parser

  private Token peek() {
    return tokens.get(position);
  }

  private Token next() {
    return tokens.get(position++);
  }

  private boolean atOperator(String... symbols) {
    Token token = peek();
    if (token.kind != Kind.OPERATOR) {
      return false;
    }
    for (String symbol : symbols) {
      if (token.text.equals(symbol)) {
        return true;
      }
    }
    return false;
  }

  private Token expect(Kind kind, String what) {
    Token token = peek();
    if (token.kind != kind) {
      throw ExpressionException.at(token.offset, "expected " + what + " but found " + found(token));
    }
    return next();
  }

  private static String found(Token token) {
    return token.kind == Kind.END ? "the end of the expression" : "'" + token.text + "'";
  }

  /** Called where the grammar recurses, so '((((' or '!!!!' cannot run the stack out. */
  private void enter(int offset) {
    if (++nesting > limits.maxDepth()) {
      throw ExpressionException.at(
          offset, "the expression nests deeper than " + limits.maxDepth() + " levels");
    }
  }

  private int depth(int offset, int depth) {
    if (depth > limits.maxDepth()) {
      throw ExpressionException.at(
          offset, "the expression nests deeper than " + limits.maxDepth() + " levels");
    }
    return depth;
  }

  private Node or() {
    enter(peek().offset);
    Node first = and();
    List<Node> operands = new ArrayList<>(List.of(first));
    while (atOperator("||")) {
      next();
      operands.add(and());
    }
    nesting--;
    return operands.size() == 1
        ? first
        : new Node.Or(
            List.copyOf(operands), first.offset(), depth(first.offset(), 1 + maxDepth(operands)));
  }

  private Node and() {
    Node first = equality();
    List<Node> operands = new ArrayList<>(List.of(first));
    while (atOperator("&&")) {
      next();
      operands.add(equality());
    }
    return operands.size() == 1
        ? first
        : new Node.And(
            List.copyOf(operands), first.offset(), depth(first.offset(), 1 + maxDepth(operands)));
  }

  private static int maxDepth(List<Node> nodes) {
    int max = 0;
    for (Node node : nodes) {
      max = Math.max(max, node.depth());
    }
    return max;
  }

  private Node equality() {
    Node left = comparison();
    while (atOperator("==", "!=")) {
      Token operator = next();
      Node right = comparison();
      left = compare(operator, left, right);
    }
    return left;
  }

  private Node comparison() {
    Node left = unary();
    while (atOperator("<", "<=", ">", ">=")) {
      Token operator = next();
      Node right = unary();
      left = compare(operator, left, right);
    }
    return left;
  }

  private Node compare(Token operator, Node left, Node right) {
    Node.Operator op =
        switch (operator.text) {
          case "==" -> Node.Operator.EQUAL;
          case "!=" -> Node.Operator.NOT_EQUAL;
          case "<" -> Node.Operator.LESS;
          case "<=" -> Node.Operator.LESS_OR_EQUAL;
          case ">" -> Node.Operator.GREATER;
          default -> Node.Operator.GREATER_OR_EQUAL;
        };
    int depth = 1 + Math.max(left.depth(), right.depth());
    return new Node.Compare(op, left, right, operator.offset, depth(operator.offset, depth));
  }

  private Node unary() {
    if (atOperator("!")) {
      Token not = next();
      enter(not.offset);
      Node operand = unary();
      nesting--;
      return new Node.Not(operand, not.offset, depth(not.offset, 1 + operand.depth()));
    }
    return postfix();
  }

  private Node postfix() {
    Node node = primary();
    while (true) {
      Token token = peek();
      if (token.kind == Kind.DOT) {
        if (node instanceof Node.Literal) {
          throw ExpressionException.at(token.offset, "a literal has no properties");
        }
        next();
        Token name = peek();
        if (name.kind == Kind.STAR) {
          next();
          node = index(node, null, true, token.offset);
        } else if (name.kind == Kind.NAME) {
          next();
          node =
              index(node, new Node.Literal(Value.of(name.text), name.offset), false, token.offset);
        } else {
          throw ExpressionException.at(
              name.offset, "expected a property name or * after '.' but found " + found(name));
        }
      } else if (token.kind == Kind.LEFT_BRACKET) {
        if (node instanceof Node.Literal) {
          throw ExpressionException.at(token.offset, "a literal cannot be indexed");
        }
        next();
        if (peek().kind == Kind.STAR) {
          next();
          expect(Kind.RIGHT_BRACKET, "']' after '[*'");
          node = index(node, null, true, token.offset);
        } else {
          Node key = or();
          expect(Kind.RIGHT_BRACKET, "']' to close the '[' at column " + (token.offset + 1));
          node = index(node, key, false, token.offset);
        }
      } else {
        return node;
      }
    }
  }

  private Node index(Node target, Node key, boolean wildcard, int offset) {
    int depth = 1 + Math.max(target.depth(), key == null ? 0 : key.depth());
    return new Node.Index(target, key, wildcard, offset, depth(offset, depth));
  }

  private Node primary() {
    Token token = next();
    switch (token.kind) {
      case NUMBER, STRING -> {
        return new Node.Literal(token.value, token.offset);
      }
      case LEFT_PAREN -> {
        Node inner = or();
        expect(Kind.RIGHT_PAREN, "')' to close the '(' at column " + (token.offset + 1));
        return inner;
      }
      case NAME -> {
        switch (token.text) {
          case "true" -> {
            return new Node.Literal(Value.TRUE, token.offset);
          }
          case "false" -> {
            return new Node.Literal(Value.FALSE, token.offset);
          }
          case "null" -> {
            return new Node.Literal(Value.NULL, token.offset);
          }
          case "NaN" -> {
            return new Node.Literal(Value.of(Double.NaN), token.offset);
          }
          case "Infinity" -> {
            return new Node.Literal(Value.of(Double.POSITIVE_INFINITY), token.offset);
          }
          default -> {
            if (peek().kind == Kind.LEFT_PAREN) {
              return call(token);
            }
            String name = token.text.toLowerCase(Locale.ROOT);
            if (!CONTEXTS.contains(name)) {
              throw ExpressionException.at(
                  token.offset,
                  "unknown context '"
                      + token.text
                      + "'; the contexts are github, env, vars, secrets, steps, needs, matrix,"
                      + " job, runner, inputs and strategy (a string takes single quotes)");
            }
            return new Node.Context(name, token.offset);
          }
        }
      }
      default ->
          throw ExpressionException.at(
              token.offset, "expected a value, a context or a function but found " + found(token));
    }
  }

  private Node call(Token name) {
    Builtin function =
        Builtin.named(name.text)
            .orElseThrow(
                () ->
                    ExpressionException.at(
                        name.offset,
                        "unknown function '"
                            + name.text
                            + "'; the functions are "
                            + Builtin.list()));
    Token open = next();
    enter(open.offset);
    List<Node> arguments = new ArrayList<>();
    if (peek().kind != Kind.RIGHT_PAREN) {
      arguments.add(or());
      while (peek().kind == Kind.COMMA) {
        next();
        arguments.add(or());
      }
    }
    expect(Kind.RIGHT_PAREN, "',' or ')' in the arguments of " + function.spelling);
    nesting--;
    if (arguments.size() < function.minArguments || arguments.size() > function.maxArguments) {
      throw ExpressionException.at(name.offset, arity(function, arguments.size()));
    }
    if (function == Builtin.FORMAT && arguments.getFirst() instanceof Node.Literal literal) {
      if (literal.value() instanceof Value.StringValue format) {
        Format.check(format.value(), arguments.size() - 1, literal.offset());
      }
    }
    int depth = 1 + maxDepth(arguments);
    return new Node.Call(function, List.copyOf(arguments), name.offset, depth(name.offset, depth));
  }

  private static String arity(Builtin function, int given) {
    String expected =
        function.minArguments == function.maxArguments
            ? String.valueOf(function.minArguments)
            : function.maxArguments == 255
                ? "at least " + function.minArguments
                : function.minArguments + " or " + function.maxArguments;
    return function.spelling
        + " takes "
        + expected
        + " argument"
        + (expected.equals("1") || expected.endsWith(" 1") ? "" : "s")
        + ", not "
        + given;
  }
}
