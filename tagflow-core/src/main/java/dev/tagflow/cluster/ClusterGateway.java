package dev.tagflow.cluster;

import dev.tagflow.TagflowException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The one door to a cluster's API server: get, server-side apply (real or dry-run), delete, list,
 * wait, and the informers behind {@link LiveStateCache}. Every request goes through one fabric8
 * client, so the {@link RequestCounter} sees them all.
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
      throw failure("could not read the version of cluster " + name, e);
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

  /** Fetches the object from the server, or empty when it does not exist. */
  public Optional<GenericKubernetesResource> get(ObjectRef ref) {
    ApiResource type = discovery.require(ref);
    try {
      return Optional.ofNullable(resource(type, ref.namespace(), ref.name()).get());
    } catch (KubernetesClientException e) {
      throw failure("could not read " + ref.subject(), e);
    }
  }

  /**
   * Server-side applies the object (its namespace set when the kind is namespaced).
   *
   * @return what the server stored, or would store for a dry-run
   * @throws KubernetesClientException as the server answered, so callers can tell an immutable
   *     field (422) or a conflict (409) from other failures
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
    return apply.serverSideApply();
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
      throw failure("could not create " + object.getKind() + " " + name, e);
    }
  }

  /**
   * Deletes the object with background propagation.
   *
   * @return false when it was already gone
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
      throw failure("could not delete " + ref.subject(), e);
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
      throw failure("could not list " + type.kind() + " objects", e);
    }
  }

  /**
   * Waits (with a watch, not by polling) until the object satisfies the condition; the condition
   * sees {@code null} while the object does not exist.
   *
   * @return the object once it satisfies the condition; empty on timeout, and also when the
   *     condition was met by the object's absence
   */
  public Optional<GenericKubernetesResource> waitUntil(
      ObjectRef ref, Predicate<GenericKubernetesResource> condition, Duration timeout) {
    ApiResource type = discovery.require(ref);
    try {
      return Optional.ofNullable(
          resource(type, ref.namespace(), ref.name())
              .waitUntilCondition(condition, timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (KubernetesClientTimeoutException e) {
      return Optional.empty();
    } catch (KubernetesClientException e) {
      throw failure("could not watch " + ref.subject(), e);
    }
  }

  SharedIndexInformer<GenericKubernetesResource> inform(
      ApiResource type, ResourceEventHandler<GenericKubernetesResource> handler) {
    var informer =
        type.namespaced()
            ? client.genericKubernetesResources(type.context()).inAnyNamespace().runnableInformer(0)
            : client.genericKubernetesResources(type.context()).runnableInformer(0);
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
        throw TagflowException.invalidInput(
            type.kind() + " objects live in a namespace, and this one names none");
      }
      return all.inNamespace(namespace);
    }
    return all;
  }

  private Resource<GenericKubernetesResource> resource(
      ApiResource type, String namespace, String name) {
    return typed(type, namespace).withName(name);
  }

  private static TagflowException failure(String what, KubernetesClientException e) {
    String reason =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    return TagflowException.failed(what + ": " + reason, e);
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }
}
