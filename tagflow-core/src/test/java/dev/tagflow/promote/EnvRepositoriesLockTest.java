package dev.tagflow.promote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.source.RemoteAccess;
import dev.tagflow.yaml.YamlLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes share a writer directory: while another process holds a repository's lane this one
 * waits, and when that process is killed (SIGKILL: no clean-up of its own) the operating system
 * frees the lock and this one proceeds.
 */
class EnvRepositoriesLockTest {

  private static final String URL = "http://127.0.0.1:1/git/environments.git";

  @TempDir Path directory;

  @Test
  void aKilledHolderFreesTheRepositoryForTheNextProcess() throws Exception {
    Process holder =
        new ProcessBuilder(
                List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    LockHolder.class.getName(),
                    directory.toString(),
                    URL))
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.equals("held"));
      assertThat(line).as("the other process took the lock").isEqualTo("held");

      CountDownLatch entered = new CountDownLatch(1);
      try (EnvRepositories repositories =
          new EnvRepositories(
              directory,
              RemoteAccess.anonymous(new SimpleMeterRegistry()),
              YamlLimits.defaults())) {
        CompletableFuture<String> mine =
            CompletableFuture.supplyAsync(
                () ->
                    repositories.inLane(
                        URL,
                        repo -> {
                          entered.countDown();
                          return repo.where();
                        }));
        // Not a timing claim: whenever this is checked, the lock is still the other process's.
        assertThat(entered.getCount()).as("entered while another process held the lock").isOne();
        assertThat(holder.isAlive()).isTrue();
        holder.destroyForcibly().waitFor();
        assertThat(mine.get(60, TimeUnit.SECONDS)).isNotEmpty();
        assertThat(entered.getCount()).isZero();
      }
    } finally {
      holder.destroyForcibly();
    }
  }
}
