package dev.tagflow.sync;

import dev.tagflow.cluster.ObjectRef;

/** A stale object a sync deletes, and the wave it is deleted in (from its live annotations). */
public record PruneTarget(ObjectRef object, int wave) {}
