package dev.tagflow.pipeline.expression;

/**
 * The comparison operators: JavaScript's abstract comparison, except that strings compare ignoring
 * case and arrays and objects are never turned into primitives (so they equal only themselves and
 * are neither less nor greater than anything).
 */
final class Comparison {

  private Comparison() {}

  /** Which way a comparison came out; UNORDERED when NaN, an array or an object took part. */
  private enum Order {
    LESS,
    EQUAL,
    GREATER,
    UNORDERED
  }

  static boolean equal(Value left, Value right) {
    if (left instanceof Value.ArrayValue || left instanceof Value.ObjectValue) {
      // Identity, as GitHub: the same context read twice is equal, two equal-looking objects not.
      return left == right;
    }
    return order(left, right) == Order.EQUAL;
  }

  static boolean less(Value left, Value right) {
    return order(left, right) == Order.LESS;
  }

  static boolean greater(Value left, Value right) {
    return order(left, right) == Order.GREATER;
  }

  static boolean lessOrEqual(Value left, Value right) {
    return equal(left, right) || less(left, right);
  }

  static boolean greaterOrEqual(Value left, Value right) {
    return equal(left, right) || greater(left, right);
  }

  private static Order order(Value left, Value right) {
    if (left instanceof Value.StringValue a && right instanceof Value.StringValue b) {
      return of(Text.compareIgnoreCase(a.value(), b.value()));
    }
    if (left instanceof Value.BooleanValue a && right instanceof Value.BooleanValue b) {
      return of(Boolean.compare(a.value(), b.value()));
    }
    if (left instanceof Value.NullValue && right instanceof Value.NullValue) {
      return Order.EQUAL;
    }
    if (!left.isPrimitive() || !right.isPrimitive()) {
      return Order.UNORDERED;
    }
    // Different primitive kinds (or two numbers): both as numbers.
    double a = left.asNumber();
    double b = right.asNumber();
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Order.UNORDERED;
    }
    return a < b ? Order.LESS : a > b ? Order.GREATER : Order.EQUAL;
  }

  private static Order of(int comparison) {
    return comparison < 0 ? Order.LESS : comparison > 0 ? Order.GREATER : Order.EQUAL;
  }
}
