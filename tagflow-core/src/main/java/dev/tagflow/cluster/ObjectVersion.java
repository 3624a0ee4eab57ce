package dev.tagflow.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Optional;

/**
 * Which version of an object a read or a write saw: its {@code uid} (which incarnation), {@code
 * metadata.generation} (which spec) and {@code resourceVersion} (which write). It answers one
 * question: is a live object, as a cache delivers it, at least as new as one the API server
 * returned for a write? A watch-fed cache may still hold the object from before the write for a
 * moment, and that object's status describes the old spec.
 *
 * <p>The order: the same uid with a lower generation is older (the write changed the spec); without
 * a generation on both, a lower resourceVersion is older. A different uid is older when its
 * resourceVersion is lower (the object from before a delete and recreate), newer otherwise.
 * resourceVersions are compared as numbers: Kubernetes calls them opaque, but every API server
 * backed by etcd hands out its revision, and the API server's own watch cache orders them so. One
 * that is not a number cannot be ordered, and counts as new enough (equal ones always do).
 *
 * @param uid empty when the object had none (a dry-run of a create)
 * @param generation empty for kinds whose API server sets none
 * @param resourceVersion empty when the object had none
 */
public record ObjectVersion(String uid, Optional<Long> generation, String resourceVersion) {

  public ObjectVersion {
    uid = uid == null ? "" : uid;
    generation = generation == null ? Optional.empty() : generation;
    resourceVersion = resourceVersion == null ? "" : resourceVersion;
  }

  /** The version of an object as the API server returned it; empty without metadata. */
  public static Optional<ObjectVersion> of(GenericKubernetesResource object) {
    ObjectMeta metadata = object == null ? null : object.getMetadata();
    if (metadata == null) {
      return Optional.empty();
    }
    return Optional.of(
        new ObjectVersion(
            metadata.getUid(),
            Optional.ofNullable(metadata.getGeneration()),
            metadata.getResourceVersion()));
  }

  /**
   * Why this version (a live object's) is older than {@code written}, or empty when it is at least
   * as new, so that what was judged from it describes the write.
   */
  public Optional<String> olderThan(ObjectVersion written) {
    Optional<Long> mine = number(resourceVersion);
    Optional<Long> theirs = number(written.resourceVersion);
    boolean sameObject = uid.isEmpty() || written.uid.isEmpty() || uid.equals(written.uid);
    if (!sameObject) {
      if (mine.isPresent() && theirs.isPresent() && mine.get() < theirs.get()) {
        return Optional.of(
            "the live view still has the object from before it was recreated (uid "
                + uid
                + ", resourceVersion "
                + resourceVersion
                + "; written: uid "
                + written.uid
                + ")");
      }
      return Optional.empty();
    }
    if (generation.isPresent() && written.generation.isPresent()) {
      return generation.get() < written.generation.get()
          ? Optional.of(
              "the live view shows generation "
                  + generation.get()
                  + ", the sync wrote generation "
                  + written.generation.get())
          : Optional.empty();
    }
    if (mine.isPresent() && theirs.isPresent() && mine.get() < theirs.get()) {
      return Optional.of(
          "the live view shows resourceVersion "
              + resourceVersion
              + ", the sync wrote resourceVersion "
              + written.resourceVersion);
    }
    return Optional.empty();
  }

  private static Optional<Long> number(String text) {
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(text));
  }
}
