package dev.tagflow.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login back-off per user name and per client address: the first {@value #FREE_FAILURES} failures
 * cost nothing, then each doubles the wait (1 s, 2 s, 4 s, … at most 15 min). A success clears the
 * user's and the address's count. Attempts during a wait are refused before any password is hashed.
 * Memory is bounded: past {@value #MAX_KEYS} keys, those whose wait is over are forgotten.
 */
public final class LoginThrottle {

  static final int FREE_FAILURES = 5;
  static final Duration MAX_WAIT = Duration.ofMinutes(15);
  static final int MAX_KEYS = 10_000;

  private record Failures(int count, Instant blockedUntil) {}

  private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
  private final Clock clock;

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long the caller must wait before trying again; empty when it may try now. */
  public Optional<Duration> waitFor(String user, String address) {
    Instant now = clock.instant();
    Duration longest = Duration.ZERO;
    for (String key : keys(user, address)) {
      Failures f = failures.get(key);
      if (f != null && now.isBefore(f.blockedUntil())) {
        Duration left = Duration.between(now, f.blockedUntil());
        if (left.compareTo(longest) > 0) {
          longest = left;
        }
      }
    }
    return longest.isZero() ? Optional.empty() : Optional.of(longest);
  }

  public void failed(String user, String address) {
    Instant now = clock.instant();
    if (failures.size() >= MAX_KEYS) {
      failures.values().removeIf(f -> !now.isBefore(f.blockedUntil()) && f.count() < FREE_FAILURES);
      failures.values().removeIf(f -> !now.isBefore(f.blockedUntil().plus(MAX_WAIT)));
    }
    for (String key : keys(user, address)) {
      failures.compute(
          key,
          (k, before) -> {
            int count = before == null ? 1 : before.count() + 1;
            Instant until = count < FREE_FAILURES ? now : now.plus(backOff(count - FREE_FAILURES));
            return new Failures(count, until);
          });
    }
  }

  public void succeeded(String user, String address) {
    keys(user, address).forEach(failures::remove);
  }

  static Duration backOff(int excess) {
    if (excess >= 20) {
      return MAX_WAIT;
    }
    Duration wait = Duration.ofSeconds(1L << excess);
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
  }

  private static List<String> keys(String user, String address) {
    return List.of("user:" + user, "address:" + address);
  }
}
