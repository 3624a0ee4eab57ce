package dev.tagflow.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * actions/cache through real runs sharing one data directory: a miss saves at the job's end, the
 * next run hits exactly and gets the files back (in the workspace and outside it), a restore-keys
 * prefix hit restores with cache-hit false, a failed job saves nothing, and archives that would
 * write outside their folder are refused with nothing written.
 */
class CacheStepTest {

  @TempDir Path dir;
  TestRuns runs;
  Path outside;

  @BeforeEach
  void setUp() throws Exception {
    runs = new TestRuns(dir, BuiltInSettings.defaults());
    outside = dir.resolve("outside");
  }

  String workflow(String key, String restoreKeys, String extra) {
    return """
        on: {push: {tags: ['v*']}}
        jobs:
          build:
            steps:
              - id: cache
                uses: actions/cache@v4
                with:
                  key: %s
                  restore-keys: |
                    %s
                  path: |
                    deps
                    !deps/skipped
                    %s/tools
              - id: files
                run: |
                  if [ ! -f deps/a.txt ]; then
                    mkdir -p deps/bin deps/skipped %s/tools
                    echo "made in ${{ github.run_id }}" > deps/a.txt
                    printf '#!/bin/sh\\necho tool\\n' > deps/bin/tool && chmod +x deps/bin/tool
                    ln -s a.txt deps/link
                    ln -s /etc/hostname deps/absolute
                    echo skipped > deps/skipped/s.txt
                    echo outside > %s/tools/t.txt
                  fi
                  echo "a=$(cat deps/a.txt)" >> "$GITHUB_OUTPUT"
                  echo "tool=$(deps/bin/tool)" >> "$GITHUB_OUTPUT"
                  echo "link=$(readlink deps/link)" >> "$GITHUB_OUTPUT"
                  echo "skipped=$(cat deps/skipped/s.txt 2>/dev/null || echo none)" >> "$GITHUB_OUTPUT"
                  echo "outside=$(cat %s/tools/t.txt)" >> "$GITHUB_OUTPUT"
              %s
        """
        .formatted(key, restoreKeys, outside, outside, outside, outside, extra);
  }

  @Test
  void aMissSavesAtTheJobsEndAndTheNextRunHitsExactly() throws Exception {
    RunResult first = runs.run("first", workflow("deps-v1", "deps-", ""));
    assertThat(first.conclusion()).as(TestRuns.log(first)).isEqualTo(Conclusion.SUCCESS);
    JobResult one = first.single("build").orElseThrow();
    assertThat(one.steps().get(0).outputs()).containsEntry("cache-hit", "false");
    assertThat(TestRuns.log(first))
        .contains("Cache not found for input keys: deps-v1, deps-")
        .contains("Post Run actions/cache@v4")
        .contains("Cache saved with key: deps-v1")
        .contains("deps/absolute is not cached: its target leaves");
    deleteTree(outside);

    RunResult second = runs.run("second", workflow("deps-v1", "deps-", ""));

    JobResult two = second.single("build").orElseThrow();
    assertThat(two.steps().get(0).outputs()).containsEntry("cache-hit", "true");
    assertThat(two.steps().get(1).outputs())
        .containsEntry("a", "made in first")
        .containsEntry("tool", "tool")
        .containsEntry("link", "a.txt")
        .containsEntry("skipped", "none")
        .containsEntry("outside", "outside");
    assertThat(TestRuns.log(second))
        .contains("Cache restored from key: deps-v1")
        .contains("Cache hit occurred on the primary key deps-v1, not saving cache.");

    RunResult third = runs.run("third", workflow("deps-v2", "deps-", ""));

    JobResult three = third.single("build").orElseThrow();
    assertThat(three.steps().get(0).outputs()).containsEntry("cache-hit", "false");
    assertThat(three.steps().get(1).outputs()).containsEntry("a", "made in first");
    assertThat(TestRuns.log(third))
        .contains("Cache restored from key: deps-v1")
        .contains("Cache saved with key: deps-v2");

    // Newest first among prefix matches: deps-v2 was saved after deps-v1.
    RunResult fourth =
        runs.run(
            "fourth",
            workflow(
                "other",
                "deps-",
                """
                - id: restore
                  uses: actions/cache/restore@v4
                  with:
                    key: nothing-like-it
                    restore-keys: deps-
                    path: |
                      deps
                      !deps/skipped
                      %s/tools
                """
                    .formatted(outside)
                    .replace("\n", "\n      ")));
    Map<String, String> restore = fourth.single("build").orElseThrow().steps().get(2).outputs();
    assertThat(restore)
        .containsEntry("cache-hit", "false")
        .containsEntry("cache-primary-key", "nothing-like-it")
        .containsEntry("cache-matched-key", "deps-v2");
  }

  @Test
  void aFailedJobSavesNothingAndFailOnCacheMissFails() throws Exception {
    RunResult failed = runs.run("failed", workflow("fail-1", "none-", "- run: 'false'"));
    assertThat(failed.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(TestRuns.log(failed))
        .contains("not saving the cache: the job did not succeed")
        .doesNotContain("Cache saved");

    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - uses: actions/cache/restore@v4
                with: {key: fail-1, path: deps, fail-on-cache-miss: true}
              - if: always()
                uses: actions/cache/save@v4
                with: {key: 'a,b', path: deps}
              - if: always()
                uses: actions/cache/restore@v4
                with: {key: '%s', path: deps}
        """
            .formatted("k".repeat(513));
    RunResult miss = runs.run("miss", yaml);
    List<StepResult> steps = miss.single("j").orElseThrow().steps();
    assertThat(steps.get(0).message())
        .isEqualTo(
            "Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key:"
                + " fail-1");
    assertThat(steps.get(1).message())
        .isEqualTo("Key Validation Error: a,b cannot contain commas.");
    assertThat(steps.get(2).message()).endsWith("cannot be larger than 512 characters.");
    assertThat(
            new CacheStore(runs.data.resolve("caches"), 1000, java.time.Clock.systemUTC())
                .entries("shop/app"))
        .isEmpty();
  }

  @Test
  void theLeastRecentlyUsedEntriesGoWhenTheRepositoryIsOverItsLimit() throws Exception {
    Path caches = dir.resolve("lru");
    CacheStore store = new CacheStore(caches, 250, java.time.Clock.systemUTC());
    for (String key : List.of("a", "b", "c")) {
      Path staging = store.staging("shop/app");
      Files.write(staging, new byte[100]);
      assertThat(store.save("shop/app", "v", key, staging)).isEqualTo(CacheStore.Saved.SAVED);
      Thread.sleep(5); // distinct last-used times; the order is what is tested, not a duration
      if (key.equals("b")) {
        assertThat(store.find("shop/app", "v", "a", List.of())).isPresent(); // a used after b
      }
    }
    assertThat(store.entries("shop/app"))
        .extracting(CacheStore.Entry::key)
        .containsExactlyInAnyOrder("a", "c");
    Path again = store.staging("shop/app");
    Files.write(again, new byte[10]);
    assertThat(store.save("shop/app", "v", "c", again)).isEqualTo(CacheStore.Saved.EXISTS);
    assertThat(store.entries("other/app")).isEmpty();
  }

  @Test
  void archivesThatWouldWriteOutsideTheirFolderAreRefusedAndWriteNothing() throws Exception {
    String path = "deps";
    String version = CacheStep.version(path);
    CacheStore store =
        new CacheStore(runs.data.resolve("caches"), 1 << 30, java.time.Clock.systemUTC());
    Map<String, List<String[]>> attacks =
        Map.of(
            "dotdot",
                List.<String[]>of(
                    new String[] {"0/deps/ok.txt", "", "fine"},
                    new String[] {"0/deps/../../../../escaped.txt", "", "evil"}),
            "absolute", List.<String[]>of(new String[] {"/tmp/escaped.txt", "", "evil"}),
            "otherline", List.<String[]>of(new String[] {"7/deps/x.txt", "", "evil"}),
            "sibling", List.<String[]>of(new String[] {"0/elsewhere/x.txt", "", "evil"}),
            "linkout",
                List.<String[]>of(
                    new String[] {"0/deps/ok.txt", "", "fine"},
                    new String[] {"0/deps/out", "l", "../../.."}),
            "linkabsolute", List.<String[]>of(new String[] {"0/deps/out", "l", "/etc"}),
            "linkdotdotlater", List.<String[]>of(new String[] {"0/deps/d/out", "l", "x/../../.."}));
    for (Map.Entry<String, List<String[]>> attack : attacks.entrySet()) {
      Path staging = store.staging("shop/app");
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(staging))) {
        for (String[] entry : attack.getValue()) {
          ZipEntry e = new ZipEntry(entry[0]);
          if (!entry[1].isEmpty()) {
            e.setComment(entry[1]);
          }
          zip.putNextEntry(e);
          zip.write(entry[2].getBytes(StandardCharsets.UTF_8));
          zip.closeEntry();
        }
      }
      store.save("shop/app", version, "attack-" + attack.getKey(), staging);
    }
    for (String name : attacks.keySet()) {
      String yaml =
          """
          on: {push: {tags: ['v*']}}
          jobs:
            j:
              steps:
                - uses: actions/cache@v4
                  with: {key: attack-%s, path: deps}
                - id: after
                  if: always()
                  run: echo "files=$(find . -mindepth 1 | wc -l)" >> "$GITHUB_OUTPUT"
          """
              .formatted(name);

      RunResult result = runs.run("attack-" + name, yaml);

      JobResult j = result.single("j").orElseThrow();
      assertThat(j.steps().get(0).conclusion()).as(name).isEqualTo(Conclusion.FAILURE);
      assertThat(j.steps().get(0).message()).as(name).contains("refused and nothing was written");
      assertThat(j.steps().get(1).outputs()).as(name).containsEntry("files", "0");
    }
    assertThat(Files.exists(Path.of("/tmp/escaped.txt"))).isFalse();
    try (var all = Files.walk(dir)) {
      assertThat(all.filter(p -> p.getFileName().toString().equals("escaped.txt"))).isEmpty();
    }
  }

  @Test
  void aRestoreDoesNotWriteThroughALinkTheWorkspaceHas() throws Exception {
    Path target = Files.createDirectories(dir.resolve("target-of-link"));
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - uses: actions/cache@v4
                with: {key: linked, path: deps}
              - run: mkdir -p deps/sub && echo one > deps/sub/f.txt
          k:
            needs: j
            steps:
              - run: mkdir deps && ln -s %s deps/sub
              - uses: actions/cache@v4
                with: {key: linked, path: deps}
        """
            .formatted(target);

    RunResult result = runs.run("through-link", yaml);

    StepResult restore = result.single("k").orElseThrow().steps().get(1);
    assertThat(restore.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(restore.message()).contains("symbolic link");
    try (var files = Files.list(target)) {
      assertThat(files).isEmpty();
    }
  }

  static void deleteTree(Path path) throws IOException {
    ArtifactStore.delete(path);
  }
}
