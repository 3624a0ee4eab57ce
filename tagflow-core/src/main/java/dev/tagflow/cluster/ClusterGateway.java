package dev.tagflow.cluster;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.ServerSideApplicable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The one door to a cluster's API server: get, server-side apply (real or dry-run), delete, list,
 * wait, and the informers behind {@link LiveStateCache}. Every request goes through one fabric8
 * client, so the {@link RequestCounter} sees them all.
 *
 * <p>Every call fails the same way: a {@link ClusterException} whose {@link ClusterFailure} says
 * what a caller must tell apart. Absence is an answer only where the server gave it (a 404 for the
 * object, or discovery confirming its kind is not served); a request that got no answer is {@link
 * ClusterFailure#UNAVAILABLE}, never "absent".
 */
public final class ClusterGateway implements LiveLookup, AutoCloseable {

  private final String name;
  private final KubernetesClient client;
  private final RequestCounter requests;
  private final Discovery discovery;
  private final boolean ownsClient;

  ClusterGateway(String name, KubernetesClient client, RequestCounter requests, boolean owns) {
    this.name = name;
    this.client = client;
    this.requests = requests;
    this.discovery = new Discovery(client);
    this.ownsClient = owns;
  }

  /**
   * A gateway over a client someone else built and closes (tests get theirs from the testkit); its
   * requests are not counted unless the client was built with {@link ClusterConnections}.
   */
  public static ClusterGateway over(String name, KubernetesClient client) {
    return new ClusterGateway(name, client, new RequestCounter(), false);
  }

  /** The connection's name: the kubeconfig context, or what the caller named it. */
  public String name() {
    return name;
  }

  /** What the server serves. */
  public Discovery discovery() {
    return discovery;
  }

  /** The API server's version as it reports it ({@code v1.37.2}), what charts see. */
  public String kubeVersion() {
    try {
      return client.getKubernetesVersion().getGitVersion();
    } catch (KubernetesClientException e) {
      throw ClusterException.of("could not read the version of cluster " + name, e);
    }
  }

  /**
   * Who this API server is, for what is remembered across restarts: the uid of its {@code
   * kube-system} namespace (new whenever the cluster's etcd is created anew, so resource versions
   * of another cluster never match) and its version (an upgrade may default or validate otherwise).
   *
   * @return empty when the server has no {@code kube-system} namespace to tell it by
   */
  public Optional<String> identity() {
    try {
      var system = client.namespaces().withName("kube-system").get();
      if (system == null || system.getMetadata().getUid() == null) {
        return Optional.empty();
      }
      return Optional.of(
          system.getMetadata().getUid() + "/" + client.getKubernetesVersion().getGitVersion());
    } catch (KubernetesClientException e) {
      throw ClusterException.of("could not read the identity of cluster " + name, e);
    }
  }

  /** The requests sent through this gateway so far. */
  public RequestCounter requests() {
    return requests;
  }

  /** Fetches the object from the server. */
  @Override
  public Optional<GenericKubernetesResource> live(ObjectRef ref) {
    return get(ref);
  }

  /**
   * Fetches the object from the server.
   *
   * @return empty when the server answers that it does not exist
   * @throws ClusterException when it cannot be read: {@link ClusterFailure#GONE_KIND} when
   *     discovery confirms its kind is not served, {@link ClusterFailure#UNAVAILABLE} when the
   *     server did not answer
   */
  public Optional<GenericKubernetesResource> get(ObjectRef ref) {
    ApiResource type = discovery.require(ref);
    try {
      return Optional.ofNullable(resource(type, ref.namespace(), ref.name()).get());
    } catch (KubernetesClientException e) {
      throw ClusterException.of("could not read " + ref.subject(), e);
    }
  }

  /**
   * Server-side applies the object (its namespace set when the kind is namespaced).
   *
   * @return what the server stored, or would store for a dry-run
   * @throws ClusterException as the server answered: {@link ClusterFailure#IMMUTABLE} for a field
   *     that cannot change, {@link ClusterFailure#CONFLICT} for a field another manager owns
   *     (without force), …
   */
  public GenericKubernetesResource apply(GenericKubernetesResource object, ApplyCall call) {
    ApiResource type = discovery.require(object.getApiVersion(), object.getKind());
    var operation = typed(type, object.getMetadata().getNamespace()).resource(object);
    ServerSideApplicable<GenericKubernetesResource> apply =
        call.dryRun()
            ? operation.dryRun().fieldManager(call.fieldManager())
            : operation.fieldManager(call.fieldManager());
    if (call.force()) {
      apply = apply.forceConflicts();
    }
    try {
      return apply.serverSideApply();
    } catch (KubernetesClientException e) {
      throw ClusterException.of(
          "could not "
              + (call.dryRun() ? "dry-run apply " : "apply ")
              + describe(type, object.getMetadata().getNamespace(), object.getMetadata().getName()),
          e);
    }
  }

  /**
   * Creates the object with a create call, not an apply: an object that has only {@code
   * metadata.generateName} (a hook run) has no name to apply by.
   *
   * @return what the server stored, the name it generated included
   */
  public GenericKubernetesResource create(GenericKubernetesResource object) {
    ApiResource type = discovery.require(object.getApiVersion(), object.getKind());
    try {
      return typed(type, object.getMetadata().getNamespace()).resource(object).create();
    } catch (KubernetesClientException e) {
      String name =
          object.getMetadata().getName() != null
              ? object.getMetadata().getName()
              : object.getMetadata().getGenerateName() + "…";
      throw ClusterException.of("could not create " + object.getKind() + " " + name, e);
    }
  }

  /**
   * Deletes the object with background propagation; the object may still exist when this returns
   * (finalizers, graceful deletion): {@link #waitUntil} its absence when that matters.
   *
   * @return false when the server answered that it was already gone
   */
  public boolean delete(ObjectRef ref) {
    ApiResource type = discovery.require(ref);
    try {
      List<StatusDetails> details =
          resource(type, ref.namespace(), ref.name())
              .withPropagationPolicy(DeletionPropagation.BACKGROUND)
              .delete();
      return !details.isEmpty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw ClusterException.of("could not delete " + ref.subject(), e);
    }
  }

  /** The objects of a kind, in one namespace ({@code ""}: all), with all of these labels. */
  public List<GenericKubernetesResource> list(
      ApiResource type, String namespace, Map<String, String> labels) {
    try {
      GenericKubernetesResourceList list =
          type.namespaced() && !namespace.isEmpty()
              ? client
                  .genericKubernetesResources(type.context())
                  .inNamespace(namespace)
                  .withLabels(labels)
                  .list()
              : client.genericKubernetesResources(type.context()).withLabels(labels).list();
      return list.getItems();
    } catch (KubernetesClientException e) {
      throw ClusterException.of("could not list " + type.kind() + " objects", e);
    }
  }

  /**
   * Waits (with a watch, not by polling) until the object satisfies the condition; the condition
   * sees {@code null} while the object does not exist.
   *
   * @return {@link WaitResult.Reached} with the object (empty when its absence met the condition),
   *     or {@link WaitResult.TimedOut}
   * @throws ClusterException when the object cannot be watched at all
   */
  public WaitResult waitUntil(
      ObjectRef ref, Predicate<GenericKubernetesResource> condition, Duration timeout) {
    ApiResource type = discovery.require(ref);
    try {
      return new WaitResult.Reached(
          Optional.ofNullable(
              resource(type, ref.namespace(), ref.name())
                  .waitUntilCondition(condition, timeout.toMillis(), TimeUnit.MILLISECONDS)));
    } catch (KubernetesClientTimeoutException e) {
      return new WaitResult.TimedOut(timeout);
    } catch (KubernetesClientException e) {
      throw ClusterException.of("could not watch " + ref.subject(), e);
    }
  }

  /**
   * Waits until the object no longer exists.
   *
   * @return whether it was gone in time
   */
  public boolean waitUntilGone(ObjectRef ref, Duration timeout) {
    return waitUntil(ref, Objects::isNull, timeout).reached();
  }

  /** An informer of a namespaced kind in one namespace only, not started. */
  SharedIndexInformer<GenericKubernetesResource> inform(
      ApiResource type, String namespace, ResourceEventHandler<GenericKubernetesResource> handler) {
    var informer =
        client
            .genericKubernetesResources(type.context())
            .inNamespace(namespace)
            .runnableInformer(0);
    informer.itemStore(new JsonObjectStore(client.getKubernetesSerialization()));
    informer.addEventHandler(handler);
    return informer;
  }

  SharedIndexInformer<GenericKubernetesResource> inform(
      ApiResource type, ResourceEventHandler<GenericKubernetesResource> handler) {
    var informer =
        type.namespaced()
            ? client.genericKubernetesResources(type.context()).inAnyNamespace().runnableInformer(0)
            : client.genericKubernetesResources(type.context()).runnableInformer(0);
    informer.itemStore(new JsonObjectStore(client.getKubernetesSerialization()));
    informer.addEventHandler(handler);
    return informer;
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      typed(ApiResource type, String namespace) {
    var all = client.genericKubernetesResources(type.context());
    if (type.namespaced()) {
      if (namespace == null || namespace.isEmpty()) {
        throw new ClusterException(
            ClusterFailure.INVALID,
            "cannot send a " + type.kind(),
            type.kind() + " objects live in a namespace, and this one names none",
            null);
      }
      return all.inNamespace(namespace);
    }
    return all;
  }

  private Resource<GenericKubernetesResource> resource(
      ApiResource type, String namespace, String name) {
    return typed(type, namespace).withName(name);
  }

  private static String describe(ApiResource type, String namespace, String name) {
    return type.namespaced() && namespace != null && !namespace.isEmpty()
        ? type.kind() + "/" + namespace + "/" + name
        : type.kind() + "/" + name;
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }
}
