package dev.tagflow.server.rbac;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides every request: the built-in policy plus the configured lines. {@link #reload} swaps the
 * configured lines only when they parse; otherwise the last good policy stays and the errors are
 * returned.
 */
public final class Authorizer {

  private static final Logger log = LoggerFactory.getLogger(Authorizer.class);

  /** Where the built-in policy is in the jar. */
  public static final String BUILTIN = "builtin-policy.csv";

  private final Policy builtin;
  private final AtomicReference<Policy> current;

  private Authorizer(Policy builtin, Policy configured) {
    this.builtin = builtin;
    this.current = new AtomicReference<>(builtin.plus(configured));
  }

  /** The built-in roles only. */
  public static Authorizer builtinOnly() {
    return new Authorizer(loadBuiltin(), Policy.empty());
  }

  /**
   * The built-in roles and the configured lines.
   *
   * @throws TagflowException naming line and column when the lines do not parse
   */
  public static Authorizer withConfigured(String source, String lines) {
    return switch (PolicyParser.parse(source, lines)) {
      case PolicyParser.Result.Parsed parsed -> new Authorizer(loadBuiltin(), parsed.policy());
      case PolicyParser.Result.Refused refused ->
          throw TagflowException.invalidInput(describe(refused));
    };
  }

  /**
   * Takes new configured lines if they parse.
   *
   * @return empty when taken, else what is wrong with them (the last good policy stays)
   */
  public Optional<String> reload(String source, String lines) {
    return switch (PolicyParser.parse(source, lines)) {
      case PolicyParser.Result.Parsed parsed -> {
        current.set(builtin.plus(parsed.policy()));
        log.info("RBAC policy from {} taken: {} lines", source, parsed.policy().size());
        yield Optional.empty();
      }
      case PolicyParser.Result.Refused refused -> {
        String why = describe(refused);
        log.warn("RBAC policy from {} refused, the last good one stays: {}", source, why);
        yield Optional.of(why);
      }
    };
  }

  /** Whether any of {@code subjects} may do {@code permission} on {@code object}. */
  public boolean allows(Collection<String> subjects, Permission permission, String object) {
    return current.get().allows(subjects, permission, object);
  }

  /** The policy now in force. */
  public Policy policy() {
    return current.get();
  }

  private static String describe(PolicyParser.Result.Refused refused) {
    return "the RBAC policy has "
        + refused.errors().size()
        + (refused.errors().size() == 1 ? " problem: " : " problems: ")
        + refused.errors().stream().map(PolicyError::message).collect(Collectors.joining("; "));
  }

  private static Policy loadBuiltin() {
    try (InputStream in =
        Objects.requireNonNull(
            Authorizer.class.getResourceAsStream(BUILTIN), "the jar has " + BUILTIN)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return switch (PolicyParser.parse(BUILTIN, text)) {
        case PolicyParser.Result.Parsed parsed -> parsed.policy();
        case PolicyParser.Result.Refused refused ->
            throw new IllegalStateException("the built-in policy is broken: " + describe(refused));
      };
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in policy", e);
    }
  }
}
