package dev.tagflow.pipeline.expression;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Numbers to and from text as GitHub's runner does: written with up to 15 significant digits
 * (.NET's {@code G15}), read with JavaScript's {@code Number()} rules for a string.
 */
final class NumberText {

  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final MathContext FIFTEEN_DIGITS = new MathContext(15, RoundingMode.HALF_UP);

  private NumberText() {}

  /**
   * {@code 3}, {@code 0.5}, {@code -2.5}, {@code 0.0001}, {@code 1E-05}, {@code 1E+15}, {@code
   * NaN}, {@code Infinity}; negative zero is {@code 0}.
   */
  static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    if (value == 0) {
      return "0";
    }
    BigDecimal rounded = new BigDecimal(value).round(FIFTEEN_DIGITS).stripTrailingZeros();
    int exponent = rounded.precision() - rounded.scale() - 1;
    if (exponent > -5 && exponent < 15) {
      return rounded.toPlainString();
    }
    String digits = rounded.unscaledValue().abs().toString();
    StringBuilder text = new StringBuilder();
    if (rounded.signum() < 0) {
      text.append('-');
    }
    text.append(digits.charAt(0));
    if (digits.length() > 1) {
      text.append('.').append(digits, 1, digits.length());
    }
    text.append('E').append(exponent < 0 ? '-' : '+');
    int magnitude = Math.abs(exponent);
    if (magnitude < 10) {
      text.append('0');
    }
    return text.append(magnitude).toString();
  }

  /**
   * The number a string (already trimmed) stands for: blank is 0; decimal with an optional sign,
   * point and exponent; {@code 0x} hex and {@code 0o} octal of up to 32 bits (read as a signed
   * 32-bit integer, as .NET does); {@code Infinity} and {@code -Infinity}; anything else NaN.
   */
  static double parse(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    if (DECIMAL.matcher(text).matches()) {
      return Double.parseDouble(text);
    }
    if (text.length() > 2 && text.charAt(0) == '0' && text.charAt(1) == 'x') {
      return radix(text, 16);
    }
    if (text.length() > 2 && text.charAt(0) == '0' && text.charAt(1) == 'o') {
      return radix(text, 8);
    }
    if (text.equals("Infinity")) {
      return Double.POSITIVE_INFINITY;
    }
    if (text.equals("-Infinity")) {
      return Double.NEGATIVE_INFINITY;
    }
    return Double.NaN;
  }

  private static double radix(String text, int radix) {
    long value = 0;
    for (int i = 2; i < text.length(); i++) {
      int digit = Character.digit(text.charAt(i), radix);
      if (digit < 0 || text.charAt(i) > 'f') {
        return Double.NaN;
      }
      value = value * radix + digit;
      if (value > 0xFFFF_FFFFL) {
        return Double.NaN;
      }
    }
    return (int) value;
  }
}
