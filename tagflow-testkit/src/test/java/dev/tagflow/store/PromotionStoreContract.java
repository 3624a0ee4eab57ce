package dev.tagflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.store.PromotionRecord.Approval;
import dev.tagflow.store.PromotionRecord.PromotionState;
import dev.tagflow.store.jdbc.JdbcStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store must do with promotion requests, whatever database is under it. Subclasses give
 * a fresh, empty database per test.
 */
abstract class PromotionStoreContract {

  protected MovableClock clock;

  /** Options for this test's database (the same database each call within a test). */
  protected abstract StoreOptions options();

  @BeforeEach
  void startTheClock() {
    clock = new MovableClock(Instant.parse("2026-03-01T10:00:00.123Z"));
  }

  private JdbcStore open() {
    return JdbcStore.open(options().withClock(clock));
  }

  static PromotionDraft draft(String environment, String version) {
    return new PromotionDraft(
        "http://127.0.0.1:7070/git/environments.git",
        environment,
        "web",
        "tag v" + version,
        version,
        "c".repeat(40),
        Optional.of("registry.local/web:" + version),
        Optional.of("sha256:" + "d".repeat(64)),
        Optional.of("dana"),
        List.of(
            new PromotionDraft.Change("image.tag", version),
            new PromotionDraft.Change("image.digest", "sha256:" + "d".repeat(64))),
        "main",
        "promote/" + environment + "/" + version,
        "e".repeat(40),
        2,
        List.of("release-manager", "sre"));
  }

  private Approval approval(String who) {
    return new Approval(who, Optional.of("sre"), clock.instant());
  }

  @Test
  void aRequestReadsBackAsItWasProposed() {
    try (Store store = open()) {
      PromotionRecord created = store.promotions().create(draft("production", "1.2.3"));

      assertThat(created.id()).isEqualTo(1);
      assertThat(created.state()).isEqualTo(PromotionState.PENDING);
      assertThat(created.approvals()).isEmpty();
      assertThat(created.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
      assertThat(store.promotions().get(1)).contains(created);
      assertThat(created.draft()).isEqualTo(draft("production", "1.2.3"));
    }
  }

  @Test
  void aDraftWithoutOptionalPartsAndRolesReadsBack() {
    PromotionDraft bare =
        new PromotionDraft(
            "/srv/env.git",
            "staging",
            "web",
            "branch main",
            "main-abc1234",
            "c".repeat(40),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of(new PromotionDraft.Change("image.tag", "main-abc1234")),
            "main",
            "promote/staging/main-abc1234",
            "e".repeat(40),
            1,
            List.of());
    try (Store store = open()) {
      assertThat(store.promotions().create(bare).draft()).isEqualTo(bare);
    }
  }

  @Test
  void aNewRequestSupersedesThePendingOneOfTheSameEnvironmentOnly() {
    try (Store store = open()) {
      PromotionRecord first = store.promotions().create(draft("production", "1.2.3"));
      PromotionRecord other = store.promotions().create(draft("staging", "1.2.3"));
      clock.advance(Duration.ofMinutes(1));
      PromotionRecord second = store.promotions().create(draft("production", "1.2.4"));

      PromotionRecord old = store.promotions().get(first.id()).orElseThrow();
      assertThat(old.state()).isEqualTo(PromotionState.SUPERSEDED);
      assertThat(old.message()).isEqualTo("superseded by request 3 (tag v1.2.4)");
      assertThat(old.updatedAt()).isEqualTo(Instant.parse("2026-03-01T10:01:00.123Z"));
      assertThat(store.promotions().get(other.id()).orElseThrow().state())
          .isEqualTo(PromotionState.PENDING);
      assertThat(store.promotions().list(Optional.empty()))
          .extracting(PromotionRecord::id)
          .containsExactly(3L, 2L, 1L);
      assertThat(store.promotions().list(Optional.of(PromotionState.PENDING)))
          .extracting(PromotionRecord::id)
          .containsExactly(second.id(), other.id());
    }
  }

  @Test
  void anApproverCountsOnceAndOnlyWhilePending() {
    try (Store store = open()) {
      long id = store.promotions().create(draft("production", "1.2.3")).id();
      store.promotions().approve(id, approval("alice"));
      clock.advance(Duration.ofSeconds(1));
      PromotionRecord twice = store.promotions().approve(id, approval("bob"));

      assertThat(twice.approvals()).extracting(Approval::approver).containsExactly("alice", "bob");
      assertThatThrownBy(() -> store.promotions().approve(id, approval("alice")))
          .isInstanceOf(TagflowException.class)
          .hasMessage(
              "alice already approved promotion request 1; it needs approvals from 2 different"
                  + " people");

      store
          .promotions()
          .transition(id, PromotionState.PENDING, PromotionState.REJECTED, "no", Optional.empty());
      assertThatThrownBy(() -> store.promotions().approve(id, approval("carol")))
          .hasMessage(
              "promotion request 1 is rejected, not pending: only a pending request can be"
                  + " approved");
      assertThatThrownBy(() -> store.promotions().approve(42, approval("carol")))
          .hasMessageContaining("there is no promotion request 42");
    }
  }

  @Test
  void aStateChangesOnlyFromTheStateTheCallerSaw() {
    try (Store store = open()) {
      long id = store.promotions().create(draft("production", "1.2.3")).id();

      Optional<PromotionRecord> approved =
          store
              .promotions()
              .transition(
                  id, PromotionState.PENDING, PromotionState.APPROVED, "2 of 2", Optional.empty());
      Optional<PromotionRecord> again =
          store
              .promotions()
              .transition(
                  id, PromotionState.PENDING, PromotionState.APPROVED, "2 of 2", Optional.empty());
      Optional<PromotionRecord> merged =
          store
              .promotions()
              .transition(
                  id,
                  PromotionState.APPROVED,
                  PromotionState.MERGED,
                  "merged",
                  Optional.of("f".repeat(40)));

      assertThat(approved).map(PromotionRecord::state).contains(PromotionState.APPROVED);
      assertThat(again).isEmpty();
      assertThat(merged.orElseThrow().mergedCommit()).contains("f".repeat(40));
      assertThat(merged.orElseThrow().state().isFinal()).isTrue();
    }
  }

  @Test
  void requestsCreatedAtOnceGetDistinctIdsAndOneStaysPending() throws Exception {
    int writers = 8;
    try (Store store = open();
        ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      List<Future<PromotionRecord>> futures = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String version = "1.2." + i;
        futures.add(pool.submit(() -> store.promotions().create(draft("production", version))));
      }
      List<Long> ids = new ArrayList<>();
      for (Future<PromotionRecord> future : futures) {
        ids.add(future.get().id());
      }

      assertThat(ids).doesNotHaveDuplicates().hasSize(writers);
      assertThat(store.promotions().list(Optional.of(PromotionState.PENDING))).hasSize(1);
    }
  }

  @Test
  void approvalsSentAtOnceByTheSamePersonCountOnce() throws Exception {
    try (Store store = open();
        ExecutorService pool = Executors.newFixedThreadPool(4)) {
      long id = store.promotions().create(draft("production", "1.2.3")).id();
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(pool.submit(() -> store.promotions().approve(id, approval("alice"))));
      }
      int succeeded = 0;
      for (Future<?> future : futures) {
        try {
          future.get();
          succeeded++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).hasMessageContaining("alice already approved");
        }
      }
      assertThat(succeeded).isEqualTo(1);
      assertThat(store.promotions().get(id).orElseThrow().approvals()).hasSize(1);
    }
  }
}
