package dev.tagflow.pipeline.expression;

import java.util.ArrayList;
import java.util.List;

/**
 * One evaluation of a tree against {@link Contexts}, its strings and elements counted in one {@link
 * Budget}. The tree's depth is bounded when it is parsed, so the recursion here is too.
 */
final class Evaluator {

  private final Contexts contexts;
  private final Budget budget;

  Evaluator(Contexts contexts, Budget budget) {
    this.contexts = contexts;
    this.budget = budget;
  }

  Value evaluate(Node node) {
    return switch (node) {
      case Node.Literal literal -> literal.value();
      case Node.Context context -> contexts.get(context.name());
      case Node.Not not -> Value.of(!evaluate(not.operand()).isTruthy());
      case Node.And and -> {
        Value value = Value.NULL;
        for (Node operand : and.operands()) {
          value = evaluate(operand);
          if (!value.isTruthy()) {
            break;
          }
        }
        yield value;
      }
      case Node.Or or -> {
        Value value = Value.NULL;
        for (Node operand : or.operands()) {
          value = evaluate(operand);
          if (value.isTruthy()) {
            break;
          }
        }
        yield value;
      }
      case Node.Compare compare -> compare(compare);
      case Node.Index index -> index(index);
      case Node.Call call -> {
        try {
          yield call(call);
        } catch (ExpressionException e) {
          throw e.placedAt(call.offset());
        }
      }
    };
  }

  private Value compare(Node.Compare compare) {
    Value left = evaluate(compare.left());
    Value right = evaluate(compare.right());
    return Value.of(
        switch (compare.operator()) {
          case EQUAL -> Comparison.equal(left, right);
          case NOT_EQUAL -> !Comparison.equal(left, right);
          case LESS -> Comparison.less(left, right);
          case LESS_OR_EQUAL -> Comparison.lessOrEqual(left, right);
          case GREATER -> Comparison.greater(left, right);
          case GREATER_OR_EQUAL -> Comparison.greaterOrEqual(left, right);
        });
  }

  /**
   * {@code a.b}, {@code a['b']}, {@code a[0]}, {@code a.*}: a missing property or index is null.
   * After a filter ({@code a.*}) the index applies to each element and the result is the array of
   * what was found, as GitHub's object filters do ({@code steps.*.outcome}).
   */
  private Value index(Node.Index index) {
    Value target = evaluate(index.target());
    Value key = index.wildcard() ? null : evaluate(index.key());
    if (index.target().filters() && target instanceof Value.ArrayValue filtered) {
      List<Value> found = new ArrayList<>();
      for (Value item : filtered.items()) {
        int before = found.size();
        if (index.wildcard()) {
          found.addAll(children(item));
        } else {
          Value child = lookup(item, key);
          if (child != null) {
            found.add(child);
          }
        }
        budget.elements(found.size() - before, "an object filter");
      }
      return Value.array(found);
    }
    if (index.wildcard()) {
      List<Value> children = children(target);
      budget.elements(children.size(), "an object filter");
      return Value.array(children);
    }
    Value child = lookup(target, key);
    return child == null ? Value.NULL : child;
  }

  private static List<Value> children(Value value) {
    return switch (value) {
      case Value.ArrayValue array -> array.items();
      case Value.ObjectValue object -> List.copyOf(object.properties().values());
      default -> List.of();
    };
  }

  /** The element or property {@code key} names, or null (Java's) when there is none. */
  private Value lookup(Value target, Value key) {
    if (target instanceof Value.ObjectValue object && key.isPrimitive()) {
      return object.get(Text.of(key, budget)).orElse(null);
    }
    if (target instanceof Value.ArrayValue array) {
      double number = key.asNumber();
      if (Double.isNaN(number) || number < 0) {
        return null;
      }
      double whole = Math.floor(number);
      return whole < array.items().size() ? array.items().get((int) whole) : null;
    }
    return null;
  }

  private Value call(Node.Call call) {
    List<Node> arguments = call.arguments();
    return switch (call.function()) {
      case SUCCESS -> Value.of(contexts.status() == Contexts.Status.SUCCESS);
      case FAILURE -> Value.of(contexts.status() == Contexts.Status.FAILURE);
      case CANCELLED -> Value.of(contexts.status() == Contexts.Status.CANCELLED);
      case ALWAYS -> Value.TRUE;
      case CONTAINS -> {
        // As GitHub: the item is evaluated only when the search can hold it.
        Value search = evaluate(arguments.get(0));
        if (search instanceof Value.ArrayValue array) {
          if (array.items().isEmpty()) {
            yield Value.FALSE;
          }
          Value item = evaluate(arguments.get(1));
          yield Value.of(array.items().stream().anyMatch(e -> Comparison.equal(item, e)));
        }
        if (!search.isPrimitive()) {
          yield Value.FALSE;
        }
        Value item = evaluate(arguments.get(1));
        yield Value.of(item.isPrimitive() && Text.containsIgnoreCase(text(search), text(item)));
      }
      case STARTS_WITH, ENDS_WITH -> {
        Value subject = evaluate(arguments.get(0));
        if (!subject.isPrimitive()) {
          yield Value.FALSE;
        }
        Value part = evaluate(arguments.get(1));
        if (!part.isPrimitive()) {
          yield Value.FALSE;
        }
        yield Value.of(
            call.function() == Builtin.STARTS_WITH
                ? Text.startsWithIgnoreCase(text(subject), text(part))
                : Text.endsWithIgnoreCase(text(subject), text(part)));
      }
      case FORMAT -> {
        String format = text(evaluate(arguments.getFirst()));
        yield Value.of(
            Format.apply(
                format,
                arguments.size() - 1,
                i -> text(evaluate(arguments.get(i + 1))),
                budget,
                arguments.getFirst().offset(),
                arguments.getFirst() instanceof Node.Literal));
      }
      case JOIN -> join(arguments);
      case TO_JSON -> Value.of(JsonText.write(evaluate(arguments.getFirst()), budget));
      case FROM_JSON -> JsonText.read(text(evaluate(arguments.getFirst())), budget);
      case HASH_FILES -> {
        List<String> patterns = new ArrayList<>();
        for (Node argument : arguments) {
          patterns.add(text(evaluate(argument)));
        }
        yield Value.of(contexts.hashFiles(patterns)); // a failure is placed at the call
      }
    };
  }

  /**
   * {@code join(array, sep)}: elements as text between separators (',' by default); an array or
   * object element as its JSON, as everywhere a value becomes text.
   */
  private Value join(List<Node> arguments) {
    Value items = evaluate(arguments.getFirst());
    String separator = ",";
    if (arguments.size() > 1) {
      Value given = evaluate(arguments.get(1));
      if (given.isPrimitive()) {
        separator = text(given);
      }
    }
    if (items instanceof Value.ArrayValue array) {
      StringBuilder out = new StringBuilder();
      boolean first = true;
      for (Value item : array.items()) {
        if (!first) {
          out.append(separator);
        }
        out.append(text(item));
        budget.check(out.length(), "join");
        first = false;
      }
      return Value.of(budget.keep(out.toString(), "join"));
    }
    return Value.of(items.isPrimitive() ? text(items) : "");
  }

  private String text(Value value) {
    return Text.of(value, budget);
  }
}
