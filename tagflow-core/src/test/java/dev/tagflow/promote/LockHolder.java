package dev.tagflow.promote;

import dev.tagflow.source.RemoteAccess;
import dev.tagflow.yaml.YamlLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;

/**
 * A second process for {@link EnvRepositoriesLockTest}: takes the lane of one repository in a
 * directory, says {@code held}, and keeps it until it is killed.
 */
final class LockHolder {

  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    try (EnvRepositories repositories =
        new EnvRepositories(
            Path.of(args[0]),
            RemoteAccess.anonymous(new SimpleMeterRegistry()),
            YamlLimits.defaults())) {
      repositories.inLane(
          args[1],
          repo -> {
            System.out.println("held");
            System.out.flush();
            try {
              Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return null;
          });
    }
  }
}
