package dev.tagflow.pipeline.run;

import java.nio.file.Path;
import java.util.List;

/**
 * What the built-in actions use on the Tagflow host, set by whoever makes the runner.
 *
 * @param jdkFolders folders {@code actions/setup-java} looks in besides the usual places: each a
 *     JDK, or a folder of JDKs
 * @param cacheLimitBytes the most {@code actions/cache} keeps per repository; the least recently
 *     used entries go first (GitHub's limit, 10 GB, by default)
 */
public record BuiltInSettings(List<Path> jdkFolders, long cacheLimitBytes) {

  public BuiltInSettings {
    jdkFolders = List.copyOf(jdkFolders);
    if (cacheLimitBytes < 1) {
      throw new IllegalArgumentException("the cache limit is at least 1 byte: " + cacheLimitBytes);
    }
  }

  /** No extra JDK folders; a cache of 10 GB per repository. */
  public static BuiltInSettings defaults() {
    return new BuiltInSettings(List.of(), CacheStore.DEFAULT_LIMIT_BYTES);
  }
}
