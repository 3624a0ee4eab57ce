package dev.tagflow.pipeline.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.source.RemoteAccess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching actions from real bare Git repositories, and what the source refuses. */
class ActionSourceTest {

  @TempDir Path dir;
  Path data;
  Path host;
  ActionSource source;
  String commit;

  @BeforeEach
  void host() throws Exception {
    data = dir.resolve("data");
    host = dir.resolve("host");
    GitWorkTree work =
        GitWorkTree.init(dir.resolve("work")).withOrigin(host.resolve("octo/tools.git"));
    work.write("sub/action.yml", "runs: {using: node20, main: index.js}\n");
    work.write("sub/index.js", "console.log('hi')\n");
    work.write("sub/lib/inner.js", "1;\n");
    work.write("secret.txt", "outside the action\n");
    work.commit("tools");
    Files.createSymbolicLink(dir.resolve("work/sub/inside"), Path.of("lib/inner.js"));
    work.commit("a link inside");
    work.git("tag", "v1");
    Files.createSymbolicLink(dir.resolve("work/sub/evil"), Path.of("../secret.txt"));
    work.commit("a link out of the action");
    work.git("tag", "v2");
    work.git("push", "-q", "origin", "main", "--tags");
    commit = work.git("rev-parse", "v1^{commit}").strip();
    source =
        new ActionSource(
            data, host.toUri().toString(), RemoteAccess.anonymous(new SimpleMeterRegistry()));
  }

  @Test
  void anActionIsFetchedAtItsRefAndCachedByCommitWithLinksInsideWrittenAsFiles() throws Exception {
    FetchedAction action = source.fetch("octo", "tools", "sub", "v1");

    assertThat(action.commit()).isEqualTo(commit);
    assertThat(action.stale()).isEmpty();
    assertThat(action.directory().toString()).contains(commit);
    assertThat(Files.readString(action.directory().resolve("action.yml"))).contains("node20");
    assertThat(Files.readString(action.directory().resolve("inside"))).isEqualTo("1;\n");
    assertThat(Files.isSymbolicLink(action.directory().resolve("inside"))).isFalse();
    assertThat(action.directory().resolve("secret.txt")).doesNotExist();
  }

  @Test
  void aLinkOutOfTheActionDirectoryRefusesTheActionAndLeavesNothing() throws Exception {
    assertThatThrownBy(() -> source.fetch("octo", "tools", "sub", "v2"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("the action octo/tools/sub@v2");
    Path cache = data.resolve("actions/cache");
    if (Files.exists(cache)) {
      try (Stream<Path> files = Files.walk(cache)) {
        assertThat(files.filter(p -> !p.equals(cache))).allMatch(Files::isDirectory);
      }
    }
  }

  @Test
  void refsNamesAndPathsThatAreNotPlainAreRefusedBeforeAnythingIsFetched() throws Exception {
    Path marker = dir.resolve("pwned");
    for (String ref :
        List.of("--upload-pack=touch " + marker, "-v1", "v1..v2", "v1 x", "v1\nx", "")) {
      assertThatThrownBy(() -> source.fetch("octo", "tools", "", ref))
          .as(ref)
          .isInstanceOf(TagflowException.class)
          .hasMessageContaining("is not a branch, tag or commit");
    }
    assertThatThrownBy(() -> source.fetch("..", "tools", "", "v1"))
        .hasMessageContaining("'..' is not an owner or repository name");
    assertThatThrownBy(() -> source.fetch("octo", "tools", "sub/../..", "v1"))
        .hasMessageContaining("is not a plain directory of the repository");
    assertThat(marker).doesNotExist();
    assertThat(data.resolve("actions/mirrors")).doesNotExist();
  }

  @Test
  void whatAKilledFetchLeftHalfWrittenIsNeverAnEntryAndIsRemovedLater() throws Exception {
    // A process killed while it wrote: its temporary directory, with part of the files.
    Path repository = Files.createDirectories(data.resolve("actions/cache/octo/tools"));
    Path abandoned = Files.createDirectories(repository.resolve(".tmp-killed"));
    Files.writeString(abandoned.resolve("action.yml"), "runs: {using: no");
    Files.setLastModifiedTime(
        abandoned,
        java.nio.file.attribute.FileTime.from(
            java.time.Instant.now().minus(ActionSource.ABANDONED).minusSeconds(60)));
    Path recent = Files.createDirectories(repository.resolve(".tmp-still-writing"));

    FetchedAction action = source.fetch("octo", "tools", "sub", "v1");

    assertThat(Files.readString(action.directory().resolve("index.js")))
        .isEqualTo("console.log('hi')\n");
    assertThat(abandoned).doesNotExist();
    assertThat(recent).exists();
  }

  @Test
  void runsFetchingTheSameActionAtOnceAllGetOneCompleteEntry() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<FetchedAction>> all = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Callable<FetchedAction> fetch = () -> source.fetch("octo", "tools", "sub", "v1");
        all.add(pool.submit(fetch));
      }
      for (Future<FetchedAction> f : all) {
        FetchedAction action = f.get();
        assertThat(Files.readString(action.directory().resolve("index.js")))
            .isEqualTo("console.log('hi')\n");
      }
    } finally {
      pool.shutdown();
    }
    try (Stream<Path> entries = Files.list(data.resolve("actions/cache/octo/tools"))) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(commit + "--sub");
    }
  }
}
