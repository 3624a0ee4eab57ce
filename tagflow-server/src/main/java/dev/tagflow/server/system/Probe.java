package dev.tagflow.server.system;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One thing the server needs to do its work (the store, a cluster), asked whether it answers.
 *
 * @param name how {@code /readyz} names it: {@code store}, {@code cluster/local}
 * @param check answers a short description ({@code v1.33.1}) or throws with why not
 */
public record Probe(String name, Callable<String> check) {
  public Probe {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
  }
}
