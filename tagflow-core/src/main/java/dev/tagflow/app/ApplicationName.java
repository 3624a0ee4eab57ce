package dev.tagflow.app;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an Application may be named: a Kubernetes object name (an RFC 1123 subdomain, as Argo CD
 * allows): lower-case letters, digits, {@code -} and {@code .}, each dot-separated part starting
 * and ending with a letter or digit, at most 253 characters. {@code example.guestbook} is one.
 *
 * <p>Where the name has to fit something narrower (a label value holds 63 characters, an object
 * name made from it has a prefix), the place that builds it shortens it with a hash: see {@code
 * dev.tagflow.inventory.InventoryStore}.
 */
public final class ApplicationName {

  /** The longest name Kubernetes gives an object. */
  public static final int MAX_LENGTH = 253;

  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private ApplicationName() {}

  /** Why {@code name} cannot name an Application, or empty when it can. */
  public static Optional<String> problem(String name) {
    if (name.isEmpty()) {
      return Optional.of("is empty; give a name such as web-production");
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of(
          "is " + name.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
    }
    if (!SUBDOMAIN.matcher(name).matches()) {
      return Optional.of(
          "must be lower-case letters, digits, '-' and '.', each '.'-separated part starting and"
              + " ending with a letter or digit (e.g. web-production or example.guestbook)");
    }
    return Optional.empty();
  }
}
