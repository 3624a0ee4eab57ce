package dev.tagflow.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of the kinds applications own, kept current by one watch per kind (a fabric8
 * informer: one list, then a watch), so that comparing desired with live needs no request.
 *
 * <p>Each object is kept as its JSON ({@link JsonObjectStore}) and parsed when read, so what a
 * caller reads is its own copy.
 *
 * <p>A kind is watched from the first time it is asked for. A CustomResourceDefinition changing
 * makes {@link Discovery} forget its group, so a kind it adds is found at once.
 */
public final class LiveStateCache implements LiveLookup, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LiveStateCache.class);
  private static final long SYNC_TIMEOUT_SECONDS = 60;

  /** The most watches of one kind in one namespace ({@link #inNamespace}) a cache keeps. */
  public static final int NAMESPACE_WATCHES = 256;

  private final ClusterGateway cluster;
  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers =
      new ConcurrentHashMap<>();

  /**
   * Watches of one kind in one namespace ({@code groupKind@namespace}), see {@link #inNamespace}.
   */
  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> namespaced =
      new ConcurrentHashMap<>();

  private final List<Consumer<ObjectRef>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<GenericKubernetesResource>> objectListeners =
      new CopyOnWriteArrayList<>();

  /** A cache over that cluster; it watches nothing until asked. */
  public LiveStateCache(ClusterGateway cluster) {
    this.cluster = cluster;
  }

  /** Calls the listener with each object that is added, changed or deleted in a watched kind. */
  public void addListener(Consumer<ObjectRef> listener) {
    listeners.add(listener);
  }

  /**
   * Calls the listener with each object that is added or changed (as it is now) or deleted (as it
   * was last seen), in a watched kind: for a listener that reads the object's labels or
   * annotations, which a deleted object no longer has in the cache. Called on the watch's thread:
   * return quickly.
   */
  public void addObjectListener(Consumer<GenericKubernetesResource> listener) {
    objectListeners.add(listener);
  }

  /** Watches these kinds (if not yet), and returns once each one's first list has arrived. */
  public void watch(Collection<ApiResource> types) {
    types.forEach(this::informer);
  }

  /** Whether that kind is watched. */
  public boolean isWatched(ApiResource type) {
    return informers.containsKey(type.groupKind());
  }

  /** The object from the cache, watching its kind first if needed. */
  @Override
  public Optional<GenericKubernetesResource> live(ObjectRef ref) {
    ApiResource type = cluster.discovery().require(ref);
    String key =
        ref.namespace().isEmpty() || !type.namespaced()
            ? ref.name()
            : ref.namespace() + "/" + ref.name();
    return Optional.ofNullable(informer(type).getStore().getByKey(key));
  }

  /** The cached objects of a kind that pass the filter. */
  public List<GenericKubernetesResource> list(
      ApiResource type, Predicate<GenericKubernetesResource> filter) {
    return informer(type).getStore().list().stream().filter(filter).toList();
  }

  /**
   * The cached objects of a namespaced kind in one namespace: the kind's watch when it is watched,
   * else a watch of that kind in that namespace only, started on the first call. For the objects an
   * application's objects own (ReplicaSets, Pods), which applications rarely list themselves: at
   * most {@link #NAMESPACE_WATCHES} such watches, past which this lists from the API server.
   */
  public List<GenericKubernetesResource> inNamespace(ApiResource type, String namespace) {
    if (!type.namespaced()) {
      throw new IllegalArgumentException(type.groupKind() + " is not namespaced");
    }
    SharedIndexInformer<GenericKubernetesResource> all = informers.get(type.groupKind());
    if (all != null) {
      // By key (namespace/name): the store parses an object only when it is read.
      String prefix = namespace + "/";
      return all.getStore().listKeys().stream()
          .filter(key -> key.startsWith(prefix))
          .map(all.getStore()::getByKey)
          .filter(Objects::nonNull)
          .toList();
    }
    String key = type.groupKind() + "@" + namespace;
    SharedIndexInformer<GenericKubernetesResource> scoped = namespaced.get(key);
    if (scoped == null) {
      synchronized (namespaced) {
        scoped = namespaced.get(key);
        if (scoped == null) {
          if (namespaced.size() >= NAMESPACE_WATCHES) {
            return cluster.list(type, namespace, Map.of());
          }
          scoped = started(cluster.inform(type, namespace, new Notifier(type)), type);
          namespaced.put(key, scoped);
        }
      }
    }
    return scoped.getStore().list();
  }

  /** How many objects the cache holds, over all kinds. */
  public int size() {
    return informers.values().stream().mapToInt(i -> i.getStore().listKeys().size()).sum()
        + namespaced.values().stream().mapToInt(i -> i.getStore().listKeys().size()).sum();
  }

  private SharedIndexInformer<GenericKubernetesResource> informer(ApiResource type) {
    return informers.computeIfAbsent(type.groupKind(), k -> start(type));
  }

  private SharedIndexInformer<GenericKubernetesResource> start(ApiResource type) {
    return started(cluster.inform(type, new Notifier(type)), type);
  }

  private SharedIndexInformer<GenericKubernetesResource> started(
      SharedIndexInformer<GenericKubernetesResource> informer, ApiResource type) {
    try {
      informer.start().toCompletableFuture().get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      informer.close();
      throw new IllegalStateException("interrupted while watching " + type.groupKind(), e);
    } catch (ExecutionException e) {
      informer.close();
      String what = "could not watch " + type.kind() + " objects on " + cluster.name();
      throw e.getCause() instanceof KubernetesClientException failed
          ? ClusterException.of(what, failed)
          : new ClusterException(ClusterFailure.UNAVAILABLE, what, String.valueOf(e.getCause()), e);
    } catch (TimeoutException e) {
      informer.close();
      throw new ClusterException(
          ClusterFailure.UNAVAILABLE,
          "could not watch " + type.kind() + " objects on " + cluster.name(),
          "the first list did not arrive within " + SYNC_TIMEOUT_SECONDS + " s",
          e);
    }
    log.info(
        "cluster={} watching kind={} objects={}",
        cluster.name(),
        type.groupKind(),
        informer.getStore().listKeys().size());
    return informer;
  }

  /** Passes watch events to listeners and refreshes discovery when a CRD changes. */
  private final class Notifier implements ResourceEventHandler<GenericKubernetesResource> {
    private final ApiResource type;

    Notifier(ApiResource type) {
      this.type = type;
    }

    @Override
    public void onAdd(GenericKubernetesResource object) {
      changed(object);
    }

    @Override
    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
      changed(after);
    }

    @Override
    public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
      changed(object);
    }

    private void changed(GenericKubernetesResource object) {
      if (type.kind().equals("CustomResourceDefinition") && object.get("spec", "group") != null) {
        cluster.discovery().invalidate(String.valueOf((Object) object.get("spec", "group")));
      }
      ObjectRef ref = ObjectRef.of(object);
      listeners.forEach(l -> l.accept(ref));
      objectListeners.forEach(l -> l.accept(object));
    }
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::close);
    informers.clear();
    namespaced.values().forEach(SharedIndexInformer::close);
    namespaced.clear();
  }
}
