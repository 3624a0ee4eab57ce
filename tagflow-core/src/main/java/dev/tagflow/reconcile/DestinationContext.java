package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.Destination;
import java.util.Optional;
import java.util.Set;

/**
 * Which kubeconfig context an Application's {@code destination.cluster} names. {@code local}, and
 * Argo CD's {@code in-cluster} and {@code https://kubernetes.default.svc}, mean the kubeconfig's
 * current context: the cluster Tagflow itself runs against. Any other name is a context's name.
 */
public final class DestinationContext {

  /** The names that mean "the cluster of the current context". */
  public static final Set<String> CURRENT =
      Set.of("local", "in-cluster", "https://kubernetes.default.svc");

  /**
   * The context for the application's destination.
   *
   * @return empty for the current context
   * @throws TagflowException (INVALID_INPUT) for an API server URL, which no kubeconfig context is
   *     named after
   */
  public Optional<String> contextFor(Application application) {
    Destination destination = application.destination();
    String cluster = destination.cluster().strip();
    if (cluster.isEmpty() || CURRENT.contains(cluster.replaceAll("/+$", ""))) {
      return Optional.empty();
    }
    if (destination.isServerUrl()) {
      throw TagflowException.invalidInput(
          application.origin()
              + ": destination server "
              + cluster
              + " of Application '"
              + application.name()
              + "' is a URL; Tagflow names clusters by kubeconfig context: give --context, or"
              + " write destination.name (Argo CD) or destination.cluster (Tagflow) as the"
              + " context's name");
    }
    return Optional.of(cluster);
  }
}
