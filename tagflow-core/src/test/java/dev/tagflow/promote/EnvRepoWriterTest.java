package dev.tagflow.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionRecord.PromotionState;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.SyncRecord;
import dev.tagflow.store.SyncResult;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.store.jdbc.JdbcStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer against real Git: a bare environment repository on disk, set up and inspected with the
 * {@code git} command as people would, and a real SQLite store.
 */
class EnvRepoWriterTest {

  static final String VALUES =
      """
      # Values for the web chart in %s.
      replicaCount: 2   # HPA scales from here

      image:
        repository: registry.local/web
        # The tag is written by Tagflow on promotion.
        tag: "1.2.2"
        pullPolicy: IfNotPresent

      resources: {limits: {cpu: 500m, memory: 256Mi}}
      """;

  @TempDir Path root;
  private Path origin;
  private GitWorkTree work;
  private Store store;
  private RemoteAccess remotes;
  private final List<EnvRepoWriter> writers = new ArrayList<>();

  @BeforeEach
  void environmentRepository() throws IOException {
    origin = root.resolve("env.git");
    GitWorkTree.open(root).git("init", "-q", "--bare", "-b", "main", origin.toString());
    Path checkout = root.resolve("work");
    GitWorkTree.open(root).git("clone", "-q", origin.toString(), checkout.toString());
    work = GitWorkTree.open(checkout);
    work.git("checkout", "-q", "-b", "main");
    write(checkout, EnvironmentPolicy.PATH, PolicyReaderTest.examplePolicy());
    for (String environment : List.of("dev", "staging", "production")) {
      write(
          checkout, "environments/" + environment + "/values.yaml", VALUES.formatted(environment));
    }
    work.git("add", "-A");
    work.git("commit", "-q", "-m", "environments");
    work.git("push", "-q", "origin", "main");
    Files.createDirectories(root.resolve("data"));
    store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(root.resolve("data"))));
    remotes = RemoteAccess.anonymous(new SimpleMeterRegistry());
  }

  @AfterEach
  void close() {
    writers.forEach(EnvRepoWriter::close);
    store.close();
    remotes.close();
  }

  private EnvRepoWriter writer(String name, WriterOptions options) {
    EnvRepoWriter writer =
        new EnvRepoWriter(
            root.resolve(name),
            remotes,
            store.promotions(),
            EnvironmentHealth.of(store.history()),
            options);
    writers.add(writer);
    return writer;
  }

  private EnvRepoWriter writer() {
    return writer("writer", WriterOptions.defaults());
  }

  private static void write(Path dir, String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private String show(String revision, String path) {
    return GitWorkTree.open(origin).git("show", revision + ":" + path);
  }

  private String head(String branch) {
    return GitWorkTree.open(origin).git("rev-parse", "refs/heads/" + branch).strip();
  }

  private static ReleaseRef release(String tag) {
    return ReleaseRef.ofTag("web", tag, "c0ffee".repeat(6) + "c0ff")
        .withImage(
            "registry.local/web:" + ReleaseRef.versionOf(tag),
            Optional.of("sha256:" + "ab".repeat(32)))
        .withAuthor("dana");
  }

  private PromotionRequest request(String tag, String... environments) {
    return PromotionRequest.of(origin.toString(), release(tag), environments);
  }

  /**
   * Records that web-staging ran main's current commit and was Healthy, as the controller would.
   */
  private void stagingWasHealthyAtHead() {
    String manifests = store.manifests().put("kind: List".getBytes(StandardCharsets.UTF_8));
    store
        .history()
        .record(
            "web-staging",
            SyncRecord.started(
                    head("main"), "main", manifests, SyncTrigger.AUTOMATION, Instant.now())
                .finished(SyncResult.SUCCEEDED, "[]", "", Instant.now())
                .withHealthAfter("Healthy"));
  }

  /** Staging runs v1.2.3 Healthy, and production gets a promotion request for it. */
  private long productionRequestAfterStaging(EnvRepoWriter writer) {
    writer.promote(request("v1.2.3", "staging"));
    stagingWasHealthyAtHead();
    return ((PromotionResult.Requested)
            writer.promote(request("v1.2.3", "production")).outcomes().getFirst())
        .requestId();
  }

  private static Approver person(String name, String... roles) {
    return new Approver(name, Set.of(roles));
  }

  @Test
  void devAndStagingCarryTheVersionAndDifferOnlyAtThatValue() {
    String before = head("main");

    PromotionResult result = writer().promote(request("v1.2.3", "dev", "staging"));

    assertThat(result.refused()).isFalse();
    assertThat(result.outcomes()).hasSize(2).allMatch(o -> o instanceof PromotionResult.Written);
    for (String environment : List.of("dev", "staging")) {
      String file = "environments/" + environment + "/values.yaml";
      assertThat(show("main", file))
          .isEqualTo(VALUES.formatted(environment).replace("tag: \"1.2.2\"", "tag: \"1.2.3\""));
    }
    String diff = GitWorkTree.open(origin).git("diff", "--unified=0", before, "main");
    assertThat(diff.lines().filter(l -> l.startsWith("+") || l.startsWith("-")))
        .containsExactly(
            "--- a/environments/dev/values.yaml",
            "+++ b/environments/dev/values.yaml",
            "-  tag: \"1.2.2\"",
            "+  tag: \"1.2.3\"",
            "--- a/environments/staging/values.yaml",
            "+++ b/environments/staging/values.yaml",
            "-  tag: \"1.2.2\"",
            "+  tag: \"1.2.3\"");
    String message = GitWorkTree.open(origin).git("log", "-1", "--format=%B", "main");
    assertThat(message)
        .startsWith("promote web v1.2.3 to staging\n\nimage.tag: 1.2.2 → 1.2.3\n\n")
        .contains("Release-Tag: v1.2.3\n")
        .contains("Release-Commit: " + "c0ffee".repeat(6) + "c0ff\n")
        .contains("Image-Digest: sha256:" + "ab".repeat(32) + "\n");
    assertThat(GitWorkTree.open(origin).git("log", "--format=%P", "-1", "main").strip().split(" "))
        .hasSize(1);
  }

  @Test
  void promotingTheSameValuesAgainWritesNothing() {
    EnvRepoWriter writer = writer();
    writer.promote(request("v1.2.3", "dev"));
    String after = head("main");

    PromotionResult again = writer.promote(request("v1.2.3", "dev"));

    assertThat(again.outcomes()).singleElement().isInstanceOf(PromotionResult.Unchanged.class);
    assertThat(head("main")).isEqualTo(after);
  }

  @Test
  void aPrereleaseIsRefusedForProductionNamingTheRuleAndNothingIsWritten() {
    String before = head("main");
    String refsBefore = GitWorkTree.open(origin).git("for-each-ref");

    PromotionResult result = writer().promote(request("v1.3.0-rc.1", "dev", "production"));

    assertThat(result.refused()).isTrue();
    PromotionResult.Refused production = (PromotionResult.Refused) result.outcomes().get(1);
    assertThat(production.rule()).contains("environments/policy.yaml:18:9");
    assertThat(production.message())
        .contains(
            "v1.3.0-rc.1 is refused for production by the rule tags v*, versions without prerelease")
        .contains("1.3.0-rc.1 is a prerelease");
    assertThat(((PromotionResult.Refused) result.outcomes().get(0)).message())
        .startsWith("not written: production refused the release");
    assertThat(head("main")).isEqualTo(before);
    assertThat(GitWorkTree.open(origin).git("for-each-ref")).isEqualTo(refsBefore);
    assertThat(store.promotions().list(Optional.empty())).isEmpty();
  }

  @Test
  void productionWaitsUntilStagingWasHealthyWithTheRelease() {
    EnvRepoWriter writer = writer();
    String before = head("main");

    PromotionResult early = writer.promote(request("v1.2.3", "production"));

    PromotionResult.Refused refused = (PromotionResult.Refused) early.outcomes().getFirst();
    assertThat(refused.rule()).contains("environments/policy.yaml:15:5 (after: staging)");
    assertThat(refused.message())
        .contains("it comes after staging")
        .contains("web-staging was never seen Healthy");
    assertThat(head("main")).isEqualTo(before);

    writer.promote(request("v1.2.3", "staging"));
    stagingWasHealthyAtHead();
    PromotionResult later = writer.promote(request("v1.2.3", "production"));

    assertThat(later.outcomes()).singleElement().isInstanceOf(PromotionResult.Requested.class);
  }

  @Test
  void productionGetsAPromotionRequestAndEnoughApprovalsMergeIt() {
    EnvRepoWriter writer = writer();
    writer.promote(request("v1.2.3", "staging"));
    stagingWasHealthyAtHead();
    String mainBefore = head("main");

    PromotionResult.Requested requested =
        (PromotionResult.Requested)
            writer.promote(request("v1.2.3", "production")).outcomes().getFirst();

    assertThat(requested.branch()).isEqualTo("promote/production/1.2.3");
    assertThat(requested.requiredApprovals()).isEqualTo(2);
    assertThat(head("main")).isEqualTo(mainBefore);
    assertThat(show("promote/production/1.2.3", "environments/production/values.yaml"))
        .contains("tag: \"1.2.3\"");
    PromotionRecord stored = store.promotions().get(requested.requestId()).orElseThrow();
    assertThat(stored.state()).isEqualTo(PromotionState.PENDING);
    assertThat(stored.draft().source()).isEqualTo("tag v1.2.3");

    assertThatThrownBy(() -> writer.approve(requested.requestId(), person("dana", "sre")))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("dana made release tag v1.2.3 and cannot approve its own promotion");
    assertThatThrownBy(() -> writer.approve(requested.requestId(), person("eve", "developer")))
        .hasMessageContaining("takes one of the roles release-manager, sre; eve has developer");
    PromotionRecord once = writer.approve(requested.requestId(), person("alice", "sre"));
    assertThat(once.state()).isEqualTo(PromotionState.PENDING);
    assertThat(head("main")).isEqualTo(mainBefore);
    assertThatThrownBy(() -> writer.approve(requested.requestId(), person("alice", "sre")))
        .hasMessageContaining("alice already approved");

    PromotionRecord merged =
        writer.approve(requested.requestId(), person("bob", "release-manager"));

    assertThat(merged.state()).isEqualTo(PromotionState.MERGED);
    assertThat(merged.message()).endsWith("(fast-forward)");
    assertThat(head("main"))
        .isEqualTo(requested.commit())
        .isEqualTo(merged.mergedCommit().orElseThrow());
    assertThat(show("main", "environments/production/values.yaml"))
        .isEqualTo(VALUES.formatted("production").replace("tag: \"1.2.2\"", "tag: \"1.2.3\""));
    assertThat(GitWorkTree.open(origin).git("branch", "--list", "promote/*")).isBlank();
  }

  @Test
  void anApprovedRequestIsRebasedWhenMainMovedMeanwhile() throws IOException {
    EnvRepoWriter writer = writer();
    long id = productionRequestAfterStaging(writer);
    writer.promote(request("v1.2.4", "dev"));
    String moved = head("main");

    writer.approve(id, person("alice", "sre"));
    PromotionRecord merged = writer.approve(id, person("bob", "sre"));

    assertThat(merged.state()).isEqualTo(PromotionState.MERGED);
    assertThat(merged.message()).contains("(rebased onto " + moved + ")");
    assertThat(GitWorkTree.open(origin).git("rev-parse", "main~1").strip()).isEqualTo(moved);
    assertThat(show("main", "environments/production/values.yaml")).contains("tag: \"1.2.3\"");
    assertThat(show("main", "environments/dev/values.yaml")).contains("tag: \"1.2.4\"");
    assertThat(GitWorkTree.open(origin).git("log", "-1", "--format=%B", "main"))
        .contains("Promotion-Request: " + id);
  }

  @Test
  void aRejectedRequestDeletesItsBranchAndCannotBeApproved() {
    EnvRepoWriter writer = writer();
    long id = productionRequestAfterStaging(writer);

    PromotionRecord rejected = writer.reject(id, person("alice", "sre"), "not during the sale");

    assertThat(rejected.state()).isEqualTo(PromotionState.REJECTED);
    assertThat(rejected.message()).isEqualTo("rejected by alice: not during the sale");
    assertThat(GitWorkTree.open(origin).git("branch", "--list", "promote/*")).isBlank();
    assertThatThrownBy(() -> writer.approve(id, person("bob", "sre")))
        .hasMessage("promotion request " + id + " is rejected, not pending; nothing was changed");
  }

  @Test
  void aNewerRequestSupersedesTheOlderOne() {
    EnvRepoWriter writer = writer();
    writer.promote(
        request("v1.2.3", "staging").withSet(Map.of(YamlPath.parse("image.tag"), "1.2.3")));
    writer.promote(request("v1.2.4", "staging"));
    String manifests = store.manifests().put("kind: List".getBytes(StandardCharsets.UTF_8));
    // Staging ran both releases Healthy, one after the other.
    for (String commit :
        GitWorkTree.open(origin).git("rev-list", "-2", "main").strip().split("\n")) {
      store
          .history()
          .record(
              "web-staging",
              SyncRecord.started(commit, "main", manifests, SyncTrigger.AUTOMATION, Instant.now())
                  .finished(SyncResult.SUCCEEDED, "[]", "", Instant.now())
                  .withHealthAfter("Healthy"));
    }
    long first =
        ((PromotionResult.Requested)
                writer.promote(request("v1.2.3", "production")).outcomes().getFirst())
            .requestId();
    long second =
        ((PromotionResult.Requested)
                writer.promote(request("v1.2.4", "production")).outcomes().getFirst())
            .requestId();

    assertThat(store.promotions().get(first).orElseThrow().state())
        .isEqualTo(PromotionState.SUPERSEDED);
    assertThat(store.promotions().get(second).orElseThrow().state())
        .isEqualTo(PromotionState.PENDING);
  }

  @Test
  void branchModePushesToTheEnvironmentBranch() {
    String main = head("main");

    PromotionResult result =
        writer().promote(request("v1.2.3", "dev").withMode(PromotionRequest.Mode.BRANCH));

    assertThat(result.outcomes()).singleElement().isInstanceOf(PromotionResult.Written.class);
    assertThat(head("main")).isEqualTo(main);
    assertThat(show("env/dev", "environments/dev/values.yaml")).contains("tag: \"1.2.3\"");
    assertThat(GitWorkTree.open(origin).git("rev-parse", "env/dev~1").strip()).isEqualTo(main);
  }

  @Test
  void aPushRefusedBecauseSomeoneElsePushedInBetweenIsAppliedAgainAndLands() throws IOException {
    AtomicBoolean interfered = new AtomicBoolean();
    Path other = root.resolve("other");
    GitWorkTree.open(root).git("clone", "-q", origin.toString(), other.toString());
    EnvRepoWriter writer =
        writer(
            "writer",
            WriterOptions.defaults()
                .withBeforePush(
                    (repository, branch, attempt) -> {
                      if (interfered.compareAndSet(false, true)) {
                        // A person pushes to main between our fetch and our push.
                        try {
                          write(other, "README.md", "environments of web\n");
                        } catch (IOException e) {
                          throw new IllegalStateException(e);
                        }
                        GitWorkTree person = GitWorkTree.open(other);
                        person.git("add", "-A");
                        person.git("commit", "-q", "-m", "readme");
                        person.git("push", "-q", "origin", "main");
                      }
                    }));

    PromotionResult.Written written =
        (PromotionResult.Written) writer.promote(request("v1.2.3", "dev")).outcomes().getFirst();

    assertThat(written.attempts()).isEqualTo(2);
    assertThat(show("main", "README.md")).isEqualTo("environments of web\n");
    assertThat(show("main", "environments/dev/values.yaml")).contains("tag: \"1.2.3\"");
    assertThat(GitWorkTree.open(origin).git("log", "--format=%s", "-2", "main"))
        .isEqualTo("promote web v1.2.3 to dev\nreadme\n");
  }

  @Test
  void givesUpAfterTheLastAttemptWithoutWritingAnything() throws IOException {
    Path other = root.resolve("other");
    GitWorkTree.open(root).git("clone", "-q", origin.toString(), other.toString());
    int[] pushes = {0};
    EnvRepoWriter writer =
        writer(
            "writer",
            WriterOptions.defaults()
                .withMaxAttempts(2)
                .withBeforePush(
                    (repository, branch, attempt) -> {
                      GitWorkTree person = GitWorkTree.open(other);
                      person.git("pull", "-q", "--ff-only", "origin", "main");
                      person.git("commit", "-q", "--allow-empty", "-m", "busy " + pushes[0]++);
                      person.git("push", "-q", "origin", "main");
                    }));

    assertThatThrownBy(() -> writer.promote(request("v1.2.3", "dev")))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("it moved again before each of 2 attempts; nothing was written");
    assertThat(show("main", "environments/dev/values.yaml")).contains("tag: \"1.2.2\"");
  }

  @Test
  void twoReleasesPromotedAtTheSameMomentByOneWriterBothLand() throws Exception {
    EnvRepoWriter writer = writer();
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      Future<PromotionResult> dev =
          pool.submit(
              () -> {
                start.await();
                return writer.promote(request("v1.2.3", "dev"));
              });
      Future<PromotionResult> staging =
          pool.submit(
              () -> {
                start.await();
                return writer.promote(request("v1.2.4", "staging"));
              });
      start.countDown();
      assertThat(dev.get().refused()).isFalse();
      assertThat(staging.get().refused()).isFalse();
    }
    assertThat(show("main", "environments/dev/values.yaml")).contains("tag: \"1.2.3\"");
    assertThat(show("main", "environments/staging/values.yaml")).contains("tag: \"1.2.4\"");
  }

  /** Once {@code start} opens, promotes {@code rounds} releases one after the other. */
  private PromotionResult inTurn(
      EnvRepoWriter writer, CountDownLatch start, String prefix, String environment, int rounds)
      throws InterruptedException {
    start.await();
    PromotionResult last = null;
    for (int i = 0; i < rounds; i++) {
      last = writer.promote(request(prefix + i, environment));
      assertThat(last.refused()).isFalse();
    }
    return last;
  }

  @Test
  void twoWritersRacingOnOneRepositoryBothLandEveryPromotion() throws Exception {
    EnvRepoWriter first = writer("first", WriterOptions.defaults().withMaxAttempts(50));
    EnvRepoWriter second = writer("second", WriterOptions.defaults().withMaxAttempts(50));
    int rounds = 6;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<PromotionResult>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      results.add(pool.submit(() -> inTurn(first, start, "v2.0.", "dev", rounds)));
      results.add(pool.submit(() -> inTurn(second, start, "v3.0.", "staging", rounds)));
      start.countDown();
      for (Future<PromotionResult> result : results) {
        assertThat(result.get().refused()).isFalse();
      }
    }
    assertThat(show("main", "environments/dev/values.yaml")).contains("tag: \"2.0.5\"");
    assertThat(show("main", "environments/staging/values.yaml")).contains("tag: \"3.0.5\"");
    // Every promotion is its own commit on one line of history, no merge commits.
    String log = GitWorkTree.open(origin).git("log", "--format=%s", "main");
    assertThat(log.lines().filter(l -> l.startsWith("promote web"))).hasSize(2 * rounds);
    assertThat(GitWorkTree.open(origin).git("rev-list", "--merges", "main")).isBlank();
  }

  @Test
  void aValuesFileTagflowCannotEditFailsBeforeAnythingIsPushed() throws IOException {
    Path checkout = root.resolve("work");
    write(
        checkout, "environments/staging/values.yaml", "base: &base\n  tag: 1.0.0\nimage: *base\n");
    work.git("commit", "-q", "-am", "aliased staging");
    work.git("push", "-q", "origin", "main");
    String before = head("main");

    assertThatThrownBy(() -> writer().promote(request("v1.2.3", "dev", "staging")))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("environments/staging/values.yaml:3:8: image is the alias *base");
    assertThat(head("main")).isEqualTo(before);
  }

  @Test
  void aMissingPolicyOrEnvironmentIsAClearRefusal() {
    PromotionResult unknown = writer().promote(request("v1.2.3", "qa"));
    assertThat(((PromotionResult.Refused) unknown.outcomes().getFirst()).message())
        .startsWith(
            "there is no environment 'qa' in environments/policy.yaml; it has dev, staging, production");

    work.git("rm", "-q", EnvironmentPolicy.PATH);
    work.git("commit", "-q", "-m", "no policy");
    work.git("push", "-q", "origin", "main");
    assertThatThrownBy(() -> writer().promote(request("v1.2.3", "dev")))
        .hasMessageContaining("has no environments/policy.yaml on main");
  }

  @Test
  void aMergeThatFailsLeavesTheRequestPendingAndApprovingAgainMergesIt() throws IOException {
    EnvRepoWriter writer = writer();
    long id = productionRequestAfterStaging(writer);
    writer.approve(id, person("alice", "sre"));
    Path away = root.resolve("env-away.git");
    Files.move(origin, away);

    // The repository is gone while the last approval merges: a real failure, not a simulated one.
    assertThatThrownBy(() -> writer.approve(id, person("bob", "sre")))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("cannot fetch " + origin);
    PromotionRecord failed = store.promotions().get(id).orElseThrow();
    assertThat(failed.state()).isEqualTo(PromotionState.PENDING);
    assertThat(failed.message()).startsWith("merging failed: cannot fetch " + origin);
    assertThat(failed.approvals()).hasSize(2);

    Files.move(away, origin);
    PromotionRecord merged = writer.approve(id, person("carol", "release-manager"));

    assertThat(merged.state()).isEqualTo(PromotionState.MERGED);
    assertThat(merged.approvals())
        .extracting(PromotionRecord.Approval::approver)
        .containsExactly("alice", "bob");
    assertThat(show("main", "environments/production/values.yaml")).contains("tag: \"1.2.3\"");
  }
}
