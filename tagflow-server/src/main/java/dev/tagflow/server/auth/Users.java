package dev.tagflow.server.auth;

import dev.tagflow.TagflowException;
import dev.tagflow.store.AccessStore;
import dev.tagflow.store.UserRecord;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Local users with Argon2id password hashes; what the web UI logs in with. */
public final class Users {

  /** The shortest password accepted. */
  public static final int MIN_PASSWORD_CHARS = 12;

  private final AccessStore store;
  private final PasswordHasher hasher;
  private final Clock clock;

  public Users(AccessStore store, PasswordHasher hasher, Clock clock) {
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
  }

  public void add(String name, String password) {
    Names.require("user", name);
    String hash = hasher.hash(acceptable(password));
    if (!store.addUser(name, hash, clock.instant())) {
      throw TagflowException.invalidInput(
          "a user named '" + name + "' exists already: 'tagflow user passwd " + name + "'");
    }
  }

  /** Sets a new password and ends the user's sessions. */
  public void setPassword(String name, String password) {
    String hash = hasher.hash(acceptable(password));
    if (!store.setPassword(name, hash, clock.instant())) {
      throw noSuchUser(name);
    }
  }

  /** Removes the user, ends their sessions and revokes their tokens. */
  public void remove(String name) {
    if (!store.removeUser(name, clock.instant())) {
      throw noSuchUser(name);
    }
  }

  public List<UserRecord> list() {
    return store.users();
  }

  /**
   * Whether the password is the user's. An unknown user costs as much time as a wrong password, so
   * timing does not tell which names exist.
   */
  public boolean verify(String name, String password) {
    Optional<UserRecord> user = store.user(name);
    if (user.isEmpty()) {
      hasher.matchNothing(password);
      return false;
    }
    return hasher.matches(password, user.get().passwordHash());
  }

  private static String acceptable(String password) {
    if (password == null || password.length() < MIN_PASSWORD_CHARS) {
      throw TagflowException.invalidInput(
          "the password is shorter than "
              + MIN_PASSWORD_CHARS
              + " characters: choose a longer one");
    }
    if (password.length() > PasswordHasher.MAX_PASSWORD_CHARS) {
      throw TagflowException.invalidInput(
          "the password is longer than " + PasswordHasher.MAX_PASSWORD_CHARS + " characters");
    }
    return password;
  }

  private static TagflowException noSuchUser(String name) {
    return TagflowException.invalidInput(
        "no user named '" + name + "': 'tagflow user list' shows them");
  }
}
