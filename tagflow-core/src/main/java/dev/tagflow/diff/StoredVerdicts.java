package dev.tagflow.diff;

import dev.tagflow.TagflowException;
import dev.tagflow.TagflowVersion;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.store.DiffMemo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The differ's "in sync" verdicts of one cluster kept in the store ({@link DiffMemo}), so that a
 * restart in steady state sends no dry-run for an object that did not change on either side.
 *
 * <p>A verdict says: this desired object (its hash, which holds the field manager and the ignore
 * rules) against this live object (its uid and resourceVersion) compared equal, on this API server
 * (its identity: the {@code kube-system} uid and version) with this comparison (Tagflow's version
 * and {@link #FORMAT}). It is used only when every one of these is the same again, so a hit can
 * never hide a change; only "in sync" is kept (anything else is asked again after a restart). A
 * value that cannot be read — damaged, another format, another cluster or Tagflow — is a miss.
 *
 * <p>Writes are queued and written in batches by one background thread, so a reconcile never waits
 * for the disk; a write that fails loses only a saving. Values older than {@code maxAge} and all
 * but the newest {@code limit} are removed now and then; a verdict still in use is written again
 * once it is half that old.
 */
public final class StoredVerdicts implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StoredVerdicts.class);

  /** The shape of a stored value; a value of another shape is a miss. */
  static final String FORMAT = "tagflow-diff-memo 1";

  /** The only verdict kept. */
  private static final String IN_SYNC = "InSync";

  /**
   * How the store is used.
   *
   * @param maxAge a verdict not written again for this long is removed (and is read as a miss)
   * @param limit at most this many values are kept, the newest
   * @param flushEvery how long a queued write waits, so that those of one comparison go in one
   *     batch
   * @param batch how many values one transaction writes at most
   * @param queueLimit queued writes beyond this are dropped (the store cannot keep up)
   * @param evictEvery how often old values are removed
   */
  public record Options(
      Duration maxAge,
      int limit,
      Duration flushEvery,
      int batch,
      int queueLimit,
      Duration evictEvery) {

    /** A week, 200,000 values (twice the in-memory memo), written 250 ms after the first queued. */
    public static Options defaults() {
      return new Options(
          Duration.ofDays(7), 200_000, Duration.ofMillis(250), 1_000, 100_000, Duration.ofHours(1));
    }
  }

  /** A verdict read back: the two sides that compared equal, and when it was written. */
  record Verdict(String desiredHash, String liveVersion, long writtenAt) {}

  private final DiffMemo memo;
  private final String scope;
  private final Options options;
  private final Clock clock;
  private final Map<String, byte[]> queued = new LinkedHashMap<>();
  private final ScheduledExecutorService writer;
  private final LongAdder rejected = new LongAdder();
  private long evictedAt = Long.MIN_VALUE;
  private boolean dropping;
  private boolean flushScheduled;

  /**
   * Verdicts of the cluster {@code clusterIdentity} ({@code ClusterGateway.identity()}) in that
   * memo; starts the background writer.
   */
  public StoredVerdicts(DiffMemo memo, String clusterIdentity, Options options, Clock clock) {
    this.memo = memo;
    this.scope = clusterIdentity + "\t" + TagflowVersion.current();
    this.options = options;
    this.clock = clock;
    this.writer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tagflow-memo-writer").daemon(true).factory());
    // A write is scheduled when a verdict is queued (save); this only keeps the eviction going
    // on a memo nothing is saved to. An idle writer does not wake four times a second.
    long every = options.evictEvery().toMillis();
    writer.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * The stored verdicts of those objects; an object without one, or whose value cannot be read as
   * one of this cluster's and this Tagflow's, is absent.
   *
   * @throws TagflowException when the store cannot be read
   */
  Map<ObjectRef, Verdict> load(Collection<ObjectRef> refs) {
    Map<String, ObjectRef> byKey = new HashMap<>();
    for (ObjectRef ref : refs) {
      byKey.put(key(ref), ref);
    }
    Map<ObjectRef, Verdict> found = new HashMap<>();
    long oldest = clock.millis() - options.maxAge().toMillis();
    memo.getAll(byKey.keySet())
        .forEach(
            (key, value) -> {
              ObjectRef ref = byKey.get(key);
              Optional<Verdict> verdict = parse(ref, value).filter(v -> v.writtenAt() >= oldest);
              if (verdict.isPresent()) {
                found.put(ref, verdict.get());
              } else {
                rejected.increment();
                log.debug("object={} stored memo value not usable here: a miss", ref);
              }
            });
    return found;
  }

  /**
   * Queues the verdict "in sync" for these two sides.
   *
   * @return when it counts as written
   */
  long save(ObjectRef ref, String desiredHash, String liveVersion) {
    long now = clock.millis();
    String value =
        String.join(
            "\n",
            FORMAT,
            scope,
            refText(ref),
            desiredHash,
            liveVersion,
            IN_SYNC,
            Long.toString(now));
    synchronized (queued) {
      if (queued.size() >= options.queueLimit() && !queued.containsKey(key(ref))) {
        if (!dropping) {
          log.warn(
              "the differ's memo store falls behind: verdicts are dropped until it catches up");
          dropping = true;
        }
        return 0;
      }
      queued.put(key(ref), value.getBytes(StandardCharsets.UTF_8));
      if (!flushScheduled) {
        flushScheduled = true;
        try {
          writer.schedule(this::flush, options.flushEvery().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
          // close() writes what is queued.
        }
      }
    }
    return now;
  }

  /** Whether a verdict written at {@code writtenAt} is old enough to be written again. */
  boolean due(long writtenAt) {
    return clock.millis() - writtenAt > options.maxAge().toMillis() / 2;
  }

  /** How many stored values were read and refused (damaged, another cluster, too old). */
  public long rejected() {
    return rejected.sum();
  }

  /** Writes what is queued, in batches; removes old values when it is time. */
  void flush() {
    try {
      while (true) {
        Map<String, byte[]> batch = new LinkedHashMap<>();
        synchronized (queued) {
          flushScheduled = false;
          var entries = queued.entrySet().iterator();
          while (entries.hasNext() && batch.size() < options.batch()) {
            var entry = entries.next();
            batch.put(entry.getKey(), entry.getValue());
            entries.remove();
          }
          dropping = dropping && !queued.isEmpty();
        }
        if (batch.isEmpty()) {
          break;
        }
        memo.putAll(batch);
      }
      long now = clock.millis();
      if (evictedAt == Long.MIN_VALUE || now - evictedAt >= options.evictEvery().toMillis()) {
        evictedAt = now;
        int old = memo.removeWrittenBefore(Instant.ofEpochMilli(now).minus(options.maxAge()));
        int over = memo.keepNewest(options.limit());
        if (old + over > 0) {
          log.info("differ's memo: removed {} old and {} beyond the limit", old, over);
        }
      }
    } catch (TagflowException e) {
      // Only a saving is lost: a verdict not stored is a dry-run after the next restart.
      log.warn("could not write the differ's memo: {}", e.getMessage());
    }
  }

  /** Writes what is queued and stops the writer. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("the differ's memo writer did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }

  private Optional<Verdict> parse(ObjectRef ref, byte[] value) {
    List<String> lines = List.of(new String(value, StandardCharsets.UTF_8).split("\n", -1));
    if (lines.size() != 7
        || !lines.get(0).equals(FORMAT)
        || !lines.get(1).equals(scope)
        || !lines.get(2).equals(refText(ref))
        || lines.get(3).isEmpty()
        || !lines.get(5).equals(IN_SYNC)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Verdict(lines.get(3), lines.get(4), Long.parseLong(lines.get(6))));
    } catch (NumberFormatException e) {
      return Optional.empty(); // damaged: a miss
    }
  }

  String key(ObjectRef ref) {
    return "v1:" + sha256(scope + "\n" + refText(ref));
  }

  private static String refText(ObjectRef ref) {
    return String.join("\t", ref.group(), ref.kind(), ref.namespace(), ref.name());
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
