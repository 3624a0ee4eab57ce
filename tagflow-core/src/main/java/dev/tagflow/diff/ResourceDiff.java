package dev.tagflow.diff;

import dev.tagflow.cluster.ObjectRef;
import java.util.List;

/**
 * How one object of an application compares with the cluster. Secret values never appear in any of
 * these: they are masked before a diff is built.
 */
public sealed interface ResourceDiff {

  /** The object compared. */
  ObjectRef object();

  /** Whether a sync would change this object. */
  default boolean needsSync() {
    return !(this instanceof InSync);
  }

  /** The live object already holds what Git asks for (ignored differences aside). */
  record InSync(ObjectRef object) implements ResourceDiff {}

  /**
   * The live object differs in fields Tagflow manages.
   *
   * @param unifiedDiff the difference as a unified diff of YAML, live ({@code ---}) against what
   *     applying Git's object would give ({@code +++})
   * @param fields which fields differ and which managers wrote them (empty when not known, as for
   *     an immutable field the server refused to compare)
   */
  record OutOfSync(ObjectRef object, String unifiedDiff, List<FieldDrift> fields)
      implements ResourceDiff {
    public OutOfSync {
      fields = List.copyOf(fields);
    }

    /** A difference whose fields are not known one by one. */
    public OutOfSync(ObjectRef object, String unifiedDiff) {
      this(object, unifiedDiff, List.of());
    }
  }

  /**
   * Git has the object, the cluster does not.
   *
   * @param desiredYaml the object as it would be applied (Secret values masked)
   */
  record Missing(ObjectRef object, String desiredYaml) implements ResourceDiff {}

  /** The application owns the object in the cluster, and Git no longer has it. */
  record Extra(ObjectRef object) implements ResourceDiff {}

  /**
   * The object cannot be compared: the server refused the dry-run (an invalid object, a denied
   * request), or the object could not be read (the server did not answer); the reason says which.
   * Never taken for missing or gone.
   */
  record Unknown(ObjectRef object, String reason) implements ResourceDiff {}
}
