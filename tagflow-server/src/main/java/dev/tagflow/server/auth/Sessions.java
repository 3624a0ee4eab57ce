package dev.tagflow.server.auth;

import dev.tagflow.store.AccessStore;
import dev.tagflow.store.SessionRecord;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Web sessions: an opaque 256-bit id in an HttpOnly cookie, stored as its digest, ending after
 * {@code idle} without a request or {@code absolute} after login, whichever comes first. Each
 * session's CSRF token is derived from its id (HMAC-SHA256), so it needs no storage and cannot be
 * made without the id, which scripts of other sites never see.
 */
public final class Sessions {

  public static final String COOKIE = "tagflow_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";

  /** How long a request keeps a session from being touched again: saves a write per request. */
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  /**
   * Session lifetimes.
   *
   * @param idle how long a session lives without a request
   * @param absolute how long it lives at most after login
   */
  public record Lifetimes(Duration idle, Duration absolute) {
    public static final Lifetimes DEFAULTS =
        new Lifetimes(Duration.ofHours(1), Duration.ofHours(12));
  }

  /**
   * A session just opened.
   *
   * @param id the cookie's value; never logged
   * @param csrf the token the UI sends in {@value #CSRF_HEADER} with each change
   */
  public record Opened(String id, String csrf, Instant expiresAt) {
    @Override
    public String toString() {
      return "Opened[until " + expiresAt + "]";
    }
  }

  private final AccessStore store;
  private final Lifetimes lifetimes;
  private final Clock clock;

  public Sessions(AccessStore store, Lifetimes lifetimes, Clock clock) {
    this.store = store;
    this.lifetimes = lifetimes;
    this.clock = clock;
  }

  public Lifetimes lifetimes() {
    return lifetimes;
  }

  public Opened open(String user) {
    Instant now = clock.instant();
    String id = OpaqueSecret.generate("");
    Instant expires = now.plus(lifetimes.absolute());
    store.addSession(new SessionRecord(OpaqueSecret.digest(id), user, now, now, expires));
    return new Opened(id, csrf(id), expires);
  }

  /** The principal of a live session, or empty for an unknown, idle or expired one. */
  public Optional<Principal> authenticate(String id) {
    if (id.length() > ApiTokens.MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    String digest = OpaqueSecret.digest(id);
    Instant now = clock.instant();
    Optional<SessionRecord> found = store.session(digest);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    SessionRecord session = found.get();
    if (!now.isBefore(session.expiresAt())
        || !now.isBefore(session.lastSeenAt().plus(lifetimes.idle()))) {
      store.removeSession(digest);
      return Optional.empty();
    }
    if (!now.isBefore(session.lastSeenAt().plus(TOUCH_EVERY))) {
      store.touchSession(digest, now);
    }
    return Optional.of(new Principal(session.user(), Set.of(session.user()), Optional.of(digest)));
  }

  /**
   * Whether {@code given} is the CSRF token of session id {@code id}, compared in constant time.
   */
  public boolean csrfMatches(String id, String given) {
    if (given == null || given.length() > ApiTokens.MAX_TOKEN_CHARS) {
      return false;
    }
    return java.security.MessageDigest.isEqual(
        csrf(id).getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.UTF_8));
  }

  /** The CSRF token of session id {@code id}, for a page the session is shown (the web UI). */
  public String csrfOf(String id) {
    return csrf(id);
  }

  /** Ends a session; false when there was none. */
  public boolean close(String id) {
    return store.removeSession(OpaqueSecret.digest(id));
  }

  /** Removes the sessions that have ended; run now and then. */
  public int sweep() {
    Instant now = clock.instant();
    return store.removeExpiredSessions(now, now.minus(lifetimes.idle()));
  }

  static String csrf(String id) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(id.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal("tagflow-csrf".getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
