package dev.tagflow.reconcile;

import dev.tagflow.app.Application;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.sync.SyncOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the controller keeps in memory for one application between its reconciles. The fields the
 * registry and requests change are safe to set from any thread; the rest belong to the
 * application's reconcile, which the work queue runs one at a time.
 */
final class AppRuntime {

  /** What to do with the application's objects once it is removed. */
  enum Removal {
    NONE,
    KEEP_OBJECTS,
    PRUNE_OBJECTS
  }

  /** A sync that runs: advanced by its reconciles until it ends. */
  record RunningSync(
      SyncOperation operation,
      HistoryEntry entry,
      SyncTrigger trigger,
      GitRevision revision,
      String renderKey,
      Optional<Long> rollbackOf) {}

  /**
   * Automated syncs of a render key that failed, and when the next retry may run (empty when the
   * retries are used up: automation waits for Git to move or a person).
   */
  record FailedSync(String renderKey, int failures, Optional<Instant> retryAt) {}

  final String name;
  volatile Application application;
  volatile Removal removal = Removal.NONE;
  private final Queue<Request> requests = new ConcurrentLinkedQueue<>();

  // Owned by the application's reconcile.
  ApplicationStatus status;
  Optional<Rendered> lastRender = Optional.empty();
  RunningSync operation;
  Instant driftSince;

  /** Since when the application has been Degraded without a break, for the health gate. */
  Instant degradedSince;

  /** What the syncs wrote, so that health is judged only on live objects at least as new. */
  AppliedVersions applied = AppliedVersions.NONE;

  FailedSync failed;
  int errorRetries;
  boolean checkedInterrupted;
  Instant lastHealAt;
  int healStreak;
  long healthRecordedFor = -1;
  String healthRecorded = "";

  /** A hard refresh was asked: the next comparison fetches Git and renders again. */
  boolean hardRefresh;

  /**
   * Whether something other than the periodic resync asked for a reconcile since the last full one
   * began: an event on its objects or its repository, a request, a change of its Application, a
   * dependency. True at start, so the first reconcile after a restart compares in full.
   */
  volatile boolean stirred = true;

  /**
   * Whether the last full reconcile found nothing to do and asked only for the periodic resync: in
   * sync, no sync running or asked for, no retry, heal, wait or window pending.
   */
  boolean onlyResyncNext;

  /** Resyncs skipped in a row since the last full reconcile. */
  int quietResyncs;

  /** Syncs and rollbacks asked for and not started yet (one sync runs at a time). */
  final Deque<Request> operationRequests = new ArrayDeque<>();

  AppRuntime(Application application, ApplicationStatus status) {
    this.name = application.name();
    this.application = application;
    this.status = status;
  }

  /** A heal this soon after the last one makes the next one wait longer. */
  private static final Duration HEAL_STREAK_WINDOW = Duration.ofMinutes(5);

  /** The longest a heal waits, however often the drift came back. */
  private static final Duration LONGEST_HEAL_GRACE = Duration.ofMinutes(3);

  /**
   * The grace before the next heal: the configured one, doubled for each heal in a row that did not
   * stick (another controller, or a person, keeps writing the field), as Argo CD's self-heal
   * backoff, so a fight over a field costs a few applies an hour instead of one every grace.
   */
  Duration healGrace(Instant now, Duration grace) {
    if (lastHealAt == null || Duration.between(lastHealAt, now).compareTo(HEAL_STREAK_WINDOW) > 0) {
      return grace;
    }
    Duration longer = grace.multipliedBy(1L << Math.min(healStreak, 16));
    return longer.compareTo(LONGEST_HEAL_GRACE) > 0 ? LONGEST_HEAL_GRACE : longer;
  }

  /** Counts a heal that starts now. */
  void healed(Instant now) {
    boolean inARow =
        lastHealAt != null && Duration.between(lastHealAt, now).compareTo(HEAL_STREAK_WINDOW) <= 0;
    healStreak = inARow ? healStreak + 1 : 1;
    lastHealAt = now;
  }

  /**
   * Whether this reconcile is a periodic resync that may be skipped: nothing stirred since the last
   * full reconcile, which asked for nothing but the resync, and fewer than {@link
   * #FULL_RESYNC_EVERY} skipped in a row.
   */
  boolean quietResync() {
    return !stirred
        && onlyResyncNext
        && operation == null
        && operationRequests.isEmpty()
        && requests.isEmpty()
        && quietResyncs < FULL_RESYNC_EVERY - 1;
  }

  /**
   * Every this many periodic resyncs one compares in full even when nothing stirred (with the
   * default 3 min, every 30 min): a safety net under the events, as a missed one costs that long at
   * worst.
   */
  static final int FULL_RESYNC_EVERY = 10;

  void ask(Request request) {
    requests.add(request);
  }

  /** The requests asked since the last call, oldest first. */
  List<Request> takeRequests() {
    List<Request> taken = new ArrayList<>();
    for (Request request = requests.poll(); request != null; request = requests.poll()) {
      taken.add(request);
    }
    return taken;
  }
}
