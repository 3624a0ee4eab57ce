package dev.tagflow.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one sync of an application did.
 *
 * @param commit the full commit id synced
 * @param requestedRef what the application asked for ({@code main}, {@code v1.2.3}, {@code >=1.2.0
 *     <2.0.0}), which resolved to the commit
 * @param releaseId the release deployed, when one was recorded
 * @param manifestsHash the SHA-256 of the rendered manifests, as {@link ManifestStore#put} answered
 *     it: the manifests must be stored before the entry is recorded
 * @param changeSetJson the ChangeSet as JSON
 * @param trigger what started it
 * @param result how it ended, or {@link SyncResult#RUNNING}
 * @param healthAfter the application's health once the sync was done ({@code Healthy}, {@code
 *     Degraded}, …), when known
 * @param message why it failed, or what it waits for; empty when there is nothing to say
 * @param startedAt when it started
 * @param finishedAt when it ended, once it has
 */
public record SyncRecord(
    String commit,
    String requestedRef,
    Optional<String> releaseId,
    String manifestsHash,
    String changeSetJson,
    SyncTrigger trigger,
    SyncResult result,
    Optional<String> healthAfter,
    String message,
    Instant startedAt,
    Optional<Instant> finishedAt) {

  public SyncRecord {
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(requestedRef, "requestedRef");
    Objects.requireNonNull(releaseId, "releaseId");
    Objects.requireNonNull(manifestsHash, "manifestsHash");
    Objects.requireNonNull(changeSetJson, "changeSetJson");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(healthAfter, "healthAfter");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
  }

  /** A sync that has started and not ended. */
  public static SyncRecord started(
      String commit,
      String requestedRef,
      String manifestsHash,
      SyncTrigger trigger,
      Instant startedAt) {
    return new SyncRecord(
        commit,
        requestedRef,
        Optional.empty(),
        manifestsHash,
        "[]",
        trigger,
        SyncResult.RUNNING,
        Optional.empty(),
        "",
        startedAt,
        Optional.empty());
  }

  /** This sync, ended with that result, change set and message. */
  public SyncRecord finished(
      SyncResult result, String changeSetJson, String message, Instant finishedAt) {
    return new SyncRecord(
        commit,
        requestedRef,
        releaseId,
        manifestsHash,
        changeSetJson,
        trigger,
        result,
        healthAfter,
        message,
        startedAt,
        Optional.of(finishedAt));
  }

  /** This sync, with the application's health once it was done. */
  public SyncRecord withHealthAfter(String health) {
    return new SyncRecord(
        commit,
        requestedRef,
        releaseId,
        manifestsHash,
        changeSetJson,
        trigger,
        result,
        Optional.of(health),
        message,
        startedAt,
        finishedAt);
  }

  /** This sync, linked to the release it deployed. */
  public SyncRecord withRelease(String releaseId) {
    return new SyncRecord(
        commit,
        requestedRef,
        Optional.of(releaseId),
        manifestsHash,
        changeSetJson,
        trigger,
        result,
        healthAfter,
        message,
        startedAt,
        finishedAt);
  }
}
