package dev.tagflow.pipeline.image;

import java.util.Objects;

/**
 * A user name and password (or token) for one registry, taken from Tagflow's secrets. {@link
 * #toString()} never shows the password.
 */
public record RegistryCredential(String username, String password) {

  public RegistryCredential {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "RegistryCredential[username=" + username + ", password=***]";
  }
}
