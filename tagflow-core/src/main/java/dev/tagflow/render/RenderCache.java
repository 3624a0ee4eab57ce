package dev.tagflow.render;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rendered sources by content key, least recently used first out, with hit and miss counters
 * ({@code tagflow.render.cache{result=hit|miss}}) and the size as a gauge.
 */
final class RenderCache {

  private final int capacity;
  private final Map<String, List<Manifest>> entries;
  private final Counter hits;
  private final Counter misses;

  RenderCache(int capacity, MeterRegistry meters) {
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true);
    this.hits = counter(meters, "hit");
    this.misses = counter(meters, "miss");
    Gauge.builder("tagflow.render.cache.size", this, RenderCache::size)
        .description("Rendered sources kept in memory")
        .register(meters);
  }

  synchronized Optional<List<Manifest>> get(String key) {
    List<Manifest> found = entries.get(key);
    (found == null ? misses : hits).increment();
    return Optional.ofNullable(found);
  }

  synchronized void put(String key, List<Manifest> manifests) {
    if (capacity == 0) {
      return;
    }
    entries.put(key, List.copyOf(manifests));
    while (entries.size() > capacity) {
      entries.remove(entries.keySet().iterator().next());
    }
  }

  /** Forgets every render; the next of each key renders again. */
  synchronized void clear() {
    entries.clear();
  }

  synchronized int size() {
    return entries.size();
  }

  private static Counter counter(MeterRegistry meters, String result) {
    return Counter.builder("tagflow.render.cache")
        .description("Renders answered from the cache (hit) or rendered (miss)")
        .tag("result", result)
        .register(meters);
  }
}
