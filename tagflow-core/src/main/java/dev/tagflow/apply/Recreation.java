package dev.tagflow.apply;

import dev.tagflow.cluster.ApplyCall;
import dev.tagflow.cluster.ClusterException;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ClusterGateway;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.cluster.ObjectVersion;
import dev.tagflow.cluster.WaitResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replace: an object whose immutable field changed (a Job's template, a Deployment's selector) is
 * deleted, awaited until gone, and applied again. Each way this can fail is a failed entry with its
 * {@link ClusterFailure}: the delete refused, the object still there when the wait ran out ({@link
 * ClusterFailure#TIMED_OUT}: a finalizer holds it), or the apply after the delete refused — then
 * the object is gone, and stays in the inventory so the next sync creates it.
 */
final class Recreation {

  private static final Logger log = LoggerFactory.getLogger(Recreation.class);

  private final ClusterGateway cluster;

  Recreation(ClusterGateway cluster) {
    this.cluster = cluster;
  }

  ChangeSetEntry recreate(Verdict.Replace replace, ApplyOptions options) {
    ObjectRef ref = replace.object();
    try {
      cluster.delete(ref);
    } catch (ClusterException e) {
      return ChangeSetEntry.failed(ref, "could not delete it to recreate it", e);
    }
    WaitResult gone;
    try {
      // Applying to an object that is still being deleted would only patch the dying object.
      gone = cluster.waitUntil(ref, Objects::isNull, options.waitTimeout());
    } catch (ClusterException e) {
      return ChangeSetEntry.failed(ref, "deleted to be recreated, but could not wait for it", e);
    }
    if (gone instanceof WaitResult.TimedOut timedOut) {
      return new ChangeSetEntry(
          ref,
          Action.FAILED,
          "deleted to be recreated (an immutable field changed), but still there after "
              + timedOut.waited().toSeconds()
              + " s; check its finalizers",
          Optional.of(ClusterFailure.TIMED_OUT));
    }
    GenericKubernetesResource stored;
    try {
      stored = cluster.apply(replace.desired(), ApplyCall.forced(options.fieldManager()));
    } catch (ClusterException e) {
      return ChangeSetEntry.failed(
          ref, "deleted to be recreated, but could not be created again", e);
    }
    log.info(
        "application={} object={} action=configured (recreated: {})",
        options.application(),
        ref,
        replace.why());
    ChangeSetEntry entry =
        new ChangeSetEntry(ref, Action.CONFIGURED, "recreated: an immutable field changed");
    return ObjectVersion.of(stored).map(entry::withWritten).orElse(entry);
  }
}
