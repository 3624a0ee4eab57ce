package dev.tagflow.pipeline.run;

/** The host's parts the built-in actions share across runs: the cache and the JDKs. */
record HostTools(CacheStore caches, JdkCatalog jdks) {}
