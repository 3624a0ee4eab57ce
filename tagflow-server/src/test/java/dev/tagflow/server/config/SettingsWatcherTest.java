package dev.tagflow.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.yaml.YamlLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsWatcherTest {

  private static final Duration QUIET = Duration.ofMillis(50);
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static final String ONE_REPOSITORY =
      """
      listen: 127.0.0.1:7070
      repositories:
        - {name: envs, url: https://git.example.com/envs.git}
      """;

  @TempDir Path temp;
  private Path file;
  private final ServerSettingsReader reader =
      new ServerSettingsReader(YamlLimits.defaults(), Path.of("/nonexistent-home"));
  private final List<SettingsChange> changes = new CopyOnWriteArrayList<>();
  private SettingsWatcher watcher;

  @BeforeEach
  void aSettingsFile() throws IOException {
    file = Files.writeString(temp.resolve("tagflow.yaml"), ONE_REPOSITORY);
  }

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.close();
    }
  }

  @Test
  void anEditorsSaveByRenameIsReadAndTheListenersHearWhatChanged() throws IOException {
    watcher = watch(Set.of(), List.of(changes::add));

    saveAsAnEditorDoes(
        file,
        """
        listen: 127.0.0.1:7070
        repositories:
          - {name: envs, url: https://git.example.com/envs.git}
          - {name: web, url: https://git.example.com/web.git, pollInterval: 30s}
        reconcile: {concurrency: 2}
        """);

    await().atMost(PATIENCE).until(() -> changes.size() == 1);
    SettingsChange change = changes.getFirst();
    assertThat(change.repositories().added())
        .extracting(ServerSettings.Repository::name)
        .containsExactly("web");
    assertThat(change.repositories().removed()).isEmpty();
    // The controller's pacing is fixed when it starts: named as needing a restart, kept running.
    assertThat(change.reconcileChanged()).isFalse();
    assertThat(watcher.status().restartNeeded()).containsExactly("reconcile");
    assertThat(watcher.current().reconcile().concurrency()).isEqualTo(8);
    assertThat(watcher.current().repository("web")).isPresent();
    assertThat(watcher.status().generation()).isEqualTo(2);
    assertThat(watcher.status().error()).isEmpty();
  }

  @Test
  void aBadEditKeepsTheRunningSettingsAndShowsWhyUntilTheFileIsFixed() throws IOException {
    watcher = watch(Set.of(), List.of(changes::add));
    ServerSettings running = watcher.current();

    saveAsAnEditorDoes(
        file,
        """
        listen: 127.0.0.1:7070
        repositories:
          - {name: envs, url: https://git.example.com/envs.git, pollIntervall: 1m}
        """);

    await().atMost(PATIENCE).until(() -> watcher.status().error().isPresent());
    assertThat(watcher.status().error().orElseThrow())
        .isEqualTo(
            file
                + ":3:57: unknown field 'pollIntervall' in repositories[0]; did you mean"
                + " 'pollInterval'? (allowed: name, url, pollInterval, credentials)");
    assertThat(watcher.current()).isEqualTo(running);
    assertThat(watcher.status().generation()).isEqualTo(1);

    saveAsAnEditorDoes(file, ONE_REPOSITORY);

    await().atMost(PATIENCE).until(() -> watcher.status().error().isEmpty());
    assertThat(watcher.status().generation()).isEqualTo(1);
    assertThat(changes).isEmpty();
  }

  @Test
  void aReloadAskedForReadsAChangeTheWatchCannotSee() throws IOException {
    // The file is a link into another folder: only the link's folder is watched, so changing the
    // target is seen when asked to look (SIGHUP calls reload).
    Path target =
        Files.writeString(
            Files.createDirectories(temp.resolve("real")).resolve("t.yaml"), ONE_REPOSITORY);
    Path link = Files.createDirectories(temp.resolve("conf")).resolve("tagflow.yaml");
    Files.createSymbolicLink(link, target);
    file = link;
    watcher = watch(Set.of(), List.of(changes::add));

    Files.writeString(target, ONE_REPOSITORY.replace("envs.git", "environments.git"));
    watcher.reload("SIGHUP");

    await().atMost(PATIENCE).until(() -> changes.size() == 1);
    assertThat(changes.getFirst().repositories().changed())
        .extracting(ServerSettings.Repository::url)
        .containsExactly("https://git.example.com/environments.git");
  }

  @Test
  void whatOnlyARestartAppliesIsReportedNotAppliedUnlessTheCommandLineSetsIt() throws IOException {
    watcher = watch(Set.of("dataDir"), List.of(changes::add));

    saveAsAnEditorDoes(file, "dataDir: /srv/tagflow\n" + ONE_REPOSITORY.replace("7070", "8080"));

    await().atMost(PATIENCE).until(() -> !watcher.status().restartNeeded().isEmpty());
    assertThat(watcher.status().restartNeeded()).containsExactly("listen");
    assertThat(watcher.current().listen().port()).isEqualTo(7070);
    assertThat(watcher.current().dataDir()).isEmpty();
    assertThat(watcher.status().generation()).isEqualTo(1);
    assertThat(changes).isEmpty();
  }

  @Test
  void aListenerThatCannotApplyAChangeIsShownAndTheOthersStillHearOfIt() throws IOException {
    watcher =
        watch(
            Set.of(),
            List.of(
                change -> {
                  throw new IllegalStateException("the poller is closed");
                },
                changes::add));

    saveAsAnEditorDoes(file, ONE_REPOSITORY.replace("envs.git", "environments.git"));

    await().atMost(PATIENCE).until(() -> changes.size() == 1);
    await().atMost(PATIENCE).until(() -> watcher.status().error().isPresent());
    assertThat(watcher.status().error().orElseThrow())
        .isEqualTo(
            "generation 2 of "
                + file
                + " was read but not all of it could be applied: the poller is closed");
  }

  private SettingsWatcher watch(Set<String> pinned, List<SettingsListener> listeners) {
    ServerSettings initial = ((SettingsRead.Loaded) reader.read(file)).settings();
    return new SettingsWatcher(file, reader, initial, pinned, listeners, Clock.systemUTC(), QUIET)
        .start();
  }

  /** Writes a new file beside the old one and renames it over it, as most editors save. */
  private static void saveAsAnEditorDoes(Path file, String text) throws IOException {
    Path written = Files.writeString(file.resolveSibling(".tagflow.yaml.swp"), text);
    Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
