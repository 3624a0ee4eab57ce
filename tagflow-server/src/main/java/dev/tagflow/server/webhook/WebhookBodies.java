package dev.tagflow.server.webhook;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.crypto.Mac;

/**
 * Reads webhook bodies as they arrive, for every provider of one server: each body at most {@code
 * maxBytes}, fed to the signature's HMAC on the way, and at most {@code maxConcurrent} bodies read
 * at once. So an unauthenticated sender can make the server hold at most {@code maxConcurrent ×
 * maxBytes}, however many requests it sends; the others are told to come back later at once.
 */
public final class WebhookBodies {

  /** GitHub caps payloads at 25 MB; GitLab's pushes are smaller. */
  public static final long GITHUB_MAX_BYTES = 25L * 1024 * 1024;

  /** Enough for a burst of pushes; a 256 MB heap holds this many bodies of the largest size. */
  public static final int DEFAULT_CONCURRENT = 4;

  private static final int CHUNK = 64 * 1024;

  private final long maxBytes;
  private final int maxConcurrent;
  private final Semaphore permits;
  private final AtomicLong buffered = new AtomicLong();

  public WebhookBodies(int maxConcurrent, long maxBytes) {
    if (maxConcurrent < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxConcurrent = maxConcurrent;
    this.maxBytes = maxBytes;
    this.permits = new Semaphore(maxConcurrent);
  }

  public static WebhookBodies defaults() {
    return new WebhookBodies(DEFAULT_CONCURRENT, GITHUB_MAX_BYTES);
  }

  /** What reading one body came to. */
  sealed interface Outcome {
    /** The whole body, in the chunks it arrived in, and its HMAC when one was asked for. */
    record Read(List<byte[]> chunks, long length, Optional<byte[]> hmac) implements Outcome {
      /** The body as a stream over its chunks, without copying them into one array. */
      InputStream stream() {
        List<InputStream> parts = new ArrayList<>();
        for (byte[] chunk : chunks) {
          parts.add(new ByteArrayInputStream(chunk));
        }
        return new SequenceInputStream(Collections.enumeration(parts));
      }
    }

    /** The body is larger than the limit (said by its Content-Length, or found while reading). */
    record TooLarge(long limit) implements Outcome {}

    /** As many bodies as allowed are being read already. */
    record Busy(int concurrent) implements Outcome {}

    /** The connection broke or timed out before the body ended. */
    record Broken(String reason) implements Outcome {}
  }

  /**
   * Reads a body of {@code declaredLength} bytes ({@code -1} when not declared) from {@code in},
   * and hands the outcome to {@code use} while the body still counts against the limits: the
   * payload is parsed before another body may take its place.
   *
   * @param mac the HMAC to feed every byte to, if the provider signs bodies
   */
  <T> T read(InputStream in, long declaredLength, Optional<Mac> mac, Function<Outcome, T> use) {
    if (declaredLength > maxBytes) {
      return use.apply(new Outcome.TooLarge(maxBytes));
    }
    if (!permits.tryAcquire()) {
      return use.apply(new Outcome.Busy(maxConcurrent));
    }
    long length = 0;
    try {
      List<byte[]> chunks = new ArrayList<>();
      Outcome outcome = null;
      while (outcome == null) {
        byte[] chunk = in.readNBytes(CHUNK);
        if (chunk.length == 0) {
          outcome = new Outcome.Read(chunks, length, mac.map(Mac::doFinal));
        } else if (length + chunk.length > maxBytes) {
          // Stop reading: Jetty closes the connection rather than drain what is left.
          outcome = new Outcome.TooLarge(maxBytes);
        } else {
          length += chunk.length;
          buffered.addAndGet(chunk.length);
          mac.ifPresent(m -> m.update(chunk));
          chunks.add(chunk);
        }
      }
      return use.apply(outcome);
    } catch (IOException e) {
      return use.apply(new Outcome.Broken(e.getMessage() == null ? e.toString() : e.getMessage()));
    } finally {
      buffered.addAndGet(-length);
      permits.release();
    }
  }

  /** Bytes of bodies being read right now, for the metric: never above the limits' product. */
  public long bufferedBytes() {
    return buffered.get();
  }

  /** Bodies being read right now (or parsed, before their place is given back). */
  public int reading() {
    return maxConcurrent - permits.availablePermits();
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }

  public long maxBytes() {
    return maxBytes;
  }
}
