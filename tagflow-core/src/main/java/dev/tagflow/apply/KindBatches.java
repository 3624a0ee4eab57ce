package dev.tagflow.apply;

import dev.tagflow.cluster.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * Runs the work of a wave kind by kind, as Argo CD's sync applies a wave: the objects of one kind
 * at once, at most {@code parallelism} at a time, and the next kind only when every object of the
 * one before is done. So the kind order ({@link KindOrder}) still holds between kinds — a ConfigMap
 * is stored before the Deployment that mounts it — while ten ConfigMaps cost a few round trips, not
 * ten.
 *
 * <p>The work must not throw: each item's outcome, failure included, is its result (see {@code
 * ResourceManager.act}). Every item is run and waited for, even when the calling thread is
 * interrupted meanwhile (its flag is set again afterwards): a wave half sent and half reported is
 * what this must never leave.
 */
final class KindBatches {

  private final int parallelism;

  /**
   * @param parallelism how many items of one kind run at a time (1: one after another)
   */
  KindBatches(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    this.parallelism = parallelism;
  }

  /**
   * Runs {@code work} on every item, in batches of consecutive items of the same group and kind.
   *
   * @param items in the order to apply them (kind order)
   * @param ref the object an item stands for
   * @return one result per item, in the order given
   */
  <T, R> List<R> run(List<T> items, Function<T, ObjectRef> ref, Function<T, R> work) {
    List<R> results = new ArrayList<>(items.size());
    int start = 0;
    while (start < items.size()) {
      int end = start + 1;
      while (end < items.size()
          && sameKind(ref.apply(items.get(start)), ref.apply(items.get(end)))) {
        end++;
      }
      results.addAll(batch(items.subList(start, end), work));
      start = end;
    }
    return results;
  }

  private <T, R> List<R> batch(List<T> items, Function<T, R> work) {
    if (parallelism == 1 || items.size() == 1) {
      return items.stream().map(work).toList();
    }
    ThreadFactory threads = Thread.ofPlatform().name("tagflow-apply-", 1).daemon(true).factory();
    List<R> results = new ArrayList<>(items.size());
    boolean interrupted = false;
    try (ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(parallelism, items.size()), threads)) {
      List<Future<R>> running = new ArrayList<>();
      for (T item : items) {
        running.add(pool.submit(() -> work.apply(item)));
      }
      for (Future<R> result : running) {
        while (true) {
          try {
            results.add(result.get());
            break;
          } catch (InterruptedException e) {
            // The objects are being sent: wait for their answers, so each is reported.
            interrupted = true;
          } catch (ExecutionException e) {
            // The work reports its own failures; what escapes it is a bug, and is the caller's.
            throw e.getCause() instanceof RuntimeException cause
                ? cause
                : new IllegalStateException(e.getCause());
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return results;
  }

  private static boolean sameKind(ObjectRef a, ObjectRef b) {
    return a.kind().equals(b.kind()) && a.group().equals(b.group());
  }
}
