package dev.tagflow.server.auth;

import dev.tagflow.server.TlsFiles;
import dev.tagflow.server.git.AccessTokens;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.store.AuditLog;
import dev.tagflow.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Authentication, authorization and audit of one server, built from its store and settings. */
public final class AccessControl {

  /**
   * How access works on this server.
   *
   * @param trustedProxies peers whose {@code X-Forwarded-For} is believed; none by default
   * @param secureCookies whether cookies get {@code Secure} (the server speaks TLS)
   */
  public record Settings(
      Sessions.Lifetimes sessions,
      List<String> trustedProxies,
      boolean secureCookies,
      PasswordHasher.Parameters passwords) {

    public static Settings defaults() {
      return new Settings(Sessions.Lifetimes.DEFAULTS, List.of(), false, PasswordHasher.OWASP);
    }

    public Settings withSecureCookies(boolean secure) {
      return new Settings(sessions, trustedProxies, secure, passwords);
    }
  }

  /**
   * What a server's access control is made of, besides the Git server's tokens the daemon adds.
   *
   * @param store where tokens, users, sessions and the audit log are kept
   */
  public record Sources(
      Store store, Authorizer authorizer, Settings settings, Clock clock, Optional<TlsFiles> tls) {

    /** Sources for a server without TLS. */
    public Sources(Store store, Authorizer authorizer, Settings settings, Clock clock) {
      this(store, authorizer, settings, clock, Optional.empty());
    }
  }

  private final Settings settings;
  private final ApiTokens tokens;
  private final Users users;
  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final Authenticator authenticator;
  private final Authorizer authorizer;
  private final ClientAddress addresses;
  private final AuditLog audit;
  private final Clock clock;

  public AccessControl(Sources sources, AccessTokens gitTokens) {
    this(
        sources.store(),
        gitTokens,
        sources.authorizer(),
        // Cookies over TLS are Secure.
        sources
            .settings()
            .withSecureCookies(sources.settings().secureCookies() || sources.tls().isPresent()),
        sources.clock());
  }

  public AccessControl(
      Store store, AccessTokens gitTokens, Authorizer authorizer, Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.tokens = new ApiTokens(store.access(), clock);
    this.users = new Users(store.access(), new PasswordHasher(settings.passwords()), clock);
    this.sessions = new Sessions(store.access(), settings.sessions(), clock);
    this.throttle = new LoginThrottle(clock);
    this.authenticator = new Authenticator(tokens, gitTokens, sessions);
    this.authorizer = authorizer;
    this.addresses = new ClientAddress(settings.trustedProxies());
    this.audit = store.audit();
  }

  public Settings settings() {
    return settings;
  }

  public ApiTokens tokens() {
    return tokens;
  }

  public Users users() {
    return users;
  }

  public Sessions sessions() {
    return sessions;
  }

  public LoginThrottle throttle() {
    return throttle;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  public Authorizer authorizer() {
    return authorizer;
  }

  public ClientAddress addresses() {
    return addresses;
  }

  public AuditLog audit() {
    return audit;
  }

  public Clock clock() {
    return clock;
  }
}
