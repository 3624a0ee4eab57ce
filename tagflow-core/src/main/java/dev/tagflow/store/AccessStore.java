package dev.tagflow.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * API tokens, local users and web sessions. The store keeps digests and hashes only; the {@code
 * auth} package of the server makes and checks them.
 */
public interface AccessStore {

  /**
   * Adds a token.
   *
   * @throws dev.tagflow.TagflowException when a token of that name exists
   */
  void addToken(ApiTokenRecord token);

  /** The token whose secret has this hex SHA-256 digest, revoked and expired ones included. */
  Optional<ApiTokenRecord> tokenByDigest(String digest);

  /** Every token, by creation time; digests included (they are not secrets). */
  List<ApiTokenRecord> tokens();

  /**
   * Revokes the token of that id or name at {@code at}; a token revoked before stays revoked then.
   *
   * @return the token as it now is, or empty when there is no such token
   */
  Optional<ApiTokenRecord> revokeToken(String idOrName, Instant at);

  /**
   * Adds a user.
   *
   * @return false, changing nothing, when a user of that name exists
   */
  boolean addUser(String name, String passwordHash, Instant at);

  /**
   * Replaces a user's password hash and ends every session of theirs, in one transaction.
   *
   * @return false when there is no such user
   */
  boolean setPassword(String name, String passwordHash, Instant at);

  /**
   * Removes a user with their sessions, and revokes their tokens at {@code at}, in one transaction.
   *
   * @return false when there is no such user
   */
  boolean removeUser(String name, Instant at);

  Optional<UserRecord> user(String name);

  /** Every user, by name. */
  List<UserRecord> users();

  void addSession(SessionRecord session);

  Optional<SessionRecord> session(String digest);

  /** Records a request of the session at {@code at}, for its idle expiry. */
  void touchSession(String digest, Instant at);

  /**
   * Ends a session.
   *
   * @return whether there was one
   */
  boolean removeSession(String digest);

  /**
   * Removes the sessions that ended before {@code now} (idle since {@code idleSince} or expired).
   */
  int removeExpiredSessions(Instant now, Instant idleSince);
}
