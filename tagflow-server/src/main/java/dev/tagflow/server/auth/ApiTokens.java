package dev.tagflow.server.auth;

import dev.tagflow.TagflowException;
import dev.tagflow.store.AccessStore;
import dev.tagflow.store.ApiTokenRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * API tokens: made with a name, an owner and an expiry, shown once, kept as their SHA-256 digest
 * only, revocable. A token acts as its owner (subject {@code <owner>}) and as itself (subject
 * {@code token:<name>}), so a policy can grant either.
 */
public final class ApiTokens {

  /** Every API token starts with this, so leaked ones are easy to search for. */
  public static final String PREFIX = "tfa_";

  /** The longest token text looked at; a real one is 47 characters. */
  static final int MAX_TOKEN_CHARS = 256;

  /**
   * A token just made: its text, shown this once, and its record.
   *
   * @param text the secret; print it once and forget it
   */
  public record Created(String text, ApiTokenRecord record) {

    /**
     * What a person is told next to the text: which token, for whom, until when; never the text.
     */
    public String summary() {
      return "Token "
          + record.name()
          + " (id "
          + record.id()
          + ") for "
          + record.owner()
          + record.expiresAt().map(at -> ", expires " + at).orElse(", no expiry")
          + ". It is shown this once: store it now.";
    }

    @Override
    public String toString() {
      return "Created[" + record + "]";
    }
  }

  private final AccessStore store;
  private final Clock clock;

  public ApiTokens(AccessStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Makes a token for {@code owner}.
   *
   * @param expiresIn empty for a token that does not expire
   */
  public Created create(String name, String owner, Optional<Duration> expiresIn) {
    Names.require("token", name);
    Names.require("owner", owner);
    if (expiresIn.isPresent() && (expiresIn.get().isNegative() || expiresIn.get().isZero())) {
      throw TagflowException.invalidInput("a token's lifetime must be positive");
    }
    Instant now = clock.instant();
    String text = OpaqueSecret.generate(PREFIX);
    ApiTokenRecord record =
        new ApiTokenRecord(
            UUID.randomUUID().toString().substring(0, 8),
            name,
            owner,
            OpaqueSecret.digest(text),
            now,
            expiresIn.map(now::plus),
            Optional.empty());
    store.addToken(record);
    return new Created(text, record);
  }

  public List<ApiTokenRecord> list() {
    return store.tokens();
  }

  /** Revokes the token of that id or name; empty when there is none. */
  public Optional<ApiTokenRecord> revoke(String idOrName) {
    return store.revokeToken(idOrName, clock.instant());
  }

  /** The principal of a valid token, or empty for an unknown, expired or revoked one. */
  public Optional<Principal> authenticate(String text) {
    if (text.length() > MAX_TOKEN_CHARS || !text.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String digest = OpaqueSecret.digest(text);
    return store
        .tokenByDigest(digest)
        .filter(token -> OpaqueSecret.sameDigest(token.digest(), digest))
        .filter(token -> token.validAt(clock.instant()))
        .map(
            token ->
                new Principal(
                    token.owner() + " (token " + token.name() + ")",
                    Set.of(token.owner(), "token:" + token.name()),
                    Optional.empty()));
  }

  /**
   * A token's lifetime as people write it: {@code 30m}, {@code 12h}, {@code 90d} (at most 3650d) or
   * {@code never}; {@code what} names where it was written, for the message.
   */
  public static Optional<Duration> lifetime(String what, String text) {
    if (text.equals("never")) {
      return Optional.empty();
    }
    try {
      long amount = Long.parseLong(text.substring(0, text.length() - 1));
      Duration duration =
          switch (text.charAt(text.length() - 1)) {
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new NumberFormatException();
          };
      if (duration.isNegative() || duration.isZero() || duration.toDays() > 3650) {
        throw new NumberFormatException();
      }
      return Optional.of(duration);
    } catch (NumberFormatException | IndexOutOfBoundsException | ArithmeticException e) {
      // Not a number, no unit ("" or one character), or more than a Duration holds.
      throw TagflowException.invalidInput(
          what
              + " must be a positive number with m, h or d (at most 3650d), like 30d, or"
              + " 'never'; got '"
              + text
              + "'");
    }
  }
}
