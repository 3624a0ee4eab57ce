package dev.tagflow;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;

/**
 * What Jackson says about JSON it cannot read, in the words Jackson 2 used, which Tagflow's
 * messages have always quoted: Jackson 3 calls a field a property ({@code Duplicate Object property
 * "id"}, {@code was expecting double-quote to start property name}).
 */
public final class JacksonMessages {

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate Object property \"(.*)\"");

  private JacksonMessages() {}

  /** The exception's message without its location, worded as Jackson 2 worded it. */
  public static String of(JacksonException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      return null;
    }
    Matcher duplicate = DUPLICATE.matcher(message);
    if (duplicate.matches()) {
      return "Duplicate field '" + duplicate.group(1) + "'";
    }
    return message
        .replace("to start property name", "to start field name")
        .replace("to separate property name and value", "to separate field name and value");
  }
}
