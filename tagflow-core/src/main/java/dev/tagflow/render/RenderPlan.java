package dev.tagflow.render;

import java.util.List;
import java.util.function.Supplier;

/**
 * A render that is ready to run: what it depends on, as a content key, and how to run it. The
 * renderer looks the key up in its cache before it runs anything.
 *
 * @param key everything the result depends on (tree ids, digests), never a branch name or a time
 * @param kind {@code directory}, {@code helm} or {@code kustomize}, for metrics and logs
 * @param documents renders the objects, unvalidated
 */
record RenderPlan(String key, String kind, Supplier<List<ManifestParser.Document>> documents) {}
