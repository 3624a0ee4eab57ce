package dev.tagflow.reconcile;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The periodic resync, brought forward by a random share so that applications started together do
 * not all reconcile in the same second.
 */
final class Resync {

  private final ReconcilerOptions options;
  private final RandomGenerator random;

  Resync(ReconcilerOptions options, RandomGenerator random) {
    this.options = options;
    this.random = random;
  }

  /** How long until the next periodic reconcile. */
  Duration next() {
    long millis = options.resyncInterval().toMillis();
    return Duration.ofMillis(
        millis - Math.round(millis * options.resyncJitter() * random.nextDouble()));
  }
}
