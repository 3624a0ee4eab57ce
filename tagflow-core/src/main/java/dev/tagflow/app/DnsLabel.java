package dev.tagflow.app;

import java.util.Optional;
import java.util.regex.Pattern;

/** RFC 1123 labels: what Kubernetes allows as a namespace name. */
final class DnsLabel {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private DnsLabel() {}

  /** Why {@code text} is not a DNS label, or empty when it is one. */
  static Optional<String> problem(String text) {
    if (text.length() > 63) {
      return Optional.of("is " + text.length() + " characters long; at most 63 are allowed");
    }
    if (!LABEL.matcher(text).matches()) {
      return Optional.of(
          "must be lower-case letters, digits and '-', starting and ending with a letter or digit"
              + " (e.g. web-production)");
    }
    return Optional.empty();
  }
}
