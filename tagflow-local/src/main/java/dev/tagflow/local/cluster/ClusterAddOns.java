package dev.tagflow.local.cluster;

import dev.tagflow.local.LocalSetupException;
import dev.tagflow.local.process.ComponentProcess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The objects that make the local cluster's add-ons work as a cloud's would: a default StorageClass
 * served by kube-controller-manager's host-path provisioner, and metrics-server registered as the
 * {@code metrics.k8s.io} API.
 */
final class ClusterAddOns {

  private static final Logger log = LoggerFactory.getLogger(ClusterAddOns.class);

  /** The default StorageClass's name, as kind's and minikube's. */
  static final String STORAGE_CLASS = "standard";

  /** The in-tree provisioner that {@code --enable-hostpath-provisioner} turns on. */
  static final String HOST_PATH_PROVISIONER = "kubernetes.io/host-path";

  /** Where that provisioner makes each volume's folder (fixed in Kubernetes' code). */
  static final Path HOST_PATH_ROOT = Path.of("/tmp/hostpath_pv");

  static final String METRICS_API_SERVICE = "v1beta1.metrics.k8s.io";

  private ClusterAddOns() {}

  /**
   * {@code standard}, the default class: a claim that names no class gets a host-path volume at
   * once, deleted with the claim.
   */
  static StorageClass defaultStorageClass() {
    return new StorageClassBuilder()
        .withNewMetadata()
        .withName(STORAGE_CLASS)
        .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true")
        .addToLabels("app.kubernetes.io/managed-by", "tagflow-testkit")
        .endMetadata()
        .withProvisioner(HOST_PATH_PROVISIONER)
        .withReclaimPolicy("Delete")
        .withVolumeBindingMode("Immediate")
        .build();
  }

  /**
   * The Service behind the metrics APIService. There is no Service network and an EndpointSlice may
   * not hold a loopback address, so it is an ExternalName Service naming 127.0.0.1: the API
   * server's aggregator (routing to a Service, its default) dials that name at the APIService's
   * port, and checks metrics-server's certificate against the Service's DNS name.
   */
  static Service metricsServerService(int port) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName("metrics-server")
        .withNamespace("kube-system")
        .addToLabels("app.kubernetes.io/name", "metrics-server")
        .addToLabels("app.kubernetes.io/managed-by", "tagflow-testkit")
        .endMetadata()
        .withNewSpec()
        .withType("ExternalName")
        .withExternalName(ComponentCommands.LOOPBACK)
        .addNewPort()
        .withName("https")
        .withPort(port)
        .endPort()
        .endSpec()
        .build();
  }

  /** {@code v1beta1.metrics.k8s.io}, served by metrics-server on {@code port}. */
  static GenericKubernetesResource metricsApiService(int port, String caBundleBase64) {
    GenericKubernetesResource api = new GenericKubernetesResource();
    api.setApiVersion("apiregistration.k8s.io/v1");
    api.setKind("APIService");
    api.setMetadata(
        new ObjectMetaBuilder()
            .withName(METRICS_API_SERVICE)
            .addToLabels("app.kubernetes.io/managed-by", "tagflow-testkit")
            .build());
    api.setAdditionalProperty(
        "spec",
        Map.of(
            "group",
            "metrics.k8s.io",
            "version",
            "v1beta1",
            "service",
            Map.of("namespace", "kube-system", "name", "metrics-server", "port", port),
            "caBundle",
            caBundleBase64,
            "groupPriorityMinimum",
            100,
            "versionPriority",
            100));
    return api;
  }

  /** Whether the aggregator reports the metrics API Available. */
  static boolean metricsApiAvailable(KubernetesClient client) {
    GenericKubernetesResource api =
        client
            .genericKubernetesResources("apiregistration.k8s.io/v1", "APIService")
            .withName(METRICS_API_SERVICE)
            .get();
    if (api == null || !(api.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return false;
    }
    if (!(status.get("conditions") instanceof List<?> conditions)) {
      return false;
    }
    return conditions.stream()
        .filter(Map.class::isInstance)
        .map(Map.class::cast)
        .anyMatch(c -> "Available".equals(c.get("type")) && "True".equals(c.get("status")));
  }

  /**
   * The folders of the volumes the host-path provisioner made: they outlive the cluster unless
   * deleted when it stops (their claims are deleted with the cluster's data, not one by one).
   */
  static List<Path> provisionedHostPathFolders(KubernetesClient client) {
    return client.persistentVolumes().list().getItems().stream()
        .filter(ClusterAddOns::provisionedByHostPath)
        .map(pv -> pv.getSpec().getHostPath())
        .filter(Objects::nonNull)
        .map(hostPath -> Path.of(hostPath.getPath()).normalize())
        .filter(folder -> folder.startsWith(HOST_PATH_ROOT) && !folder.equals(HOST_PATH_ROOT))
        .toList();
  }

  private static boolean provisionedByHostPath(PersistentVolume pv) {
    return Optional.ofNullable(pv.getMetadata().getAnnotations())
        .map(a -> a.get("pv.kubernetes.io/provisioned-by"))
        .filter(HOST_PATH_PROVISIONER::equals)
        .isPresent();
  }

  /**
   * Registers metrics-server as {@code metrics.k8s.io} once it listens, and waits until the
   * aggregator reports the APIService Available.
   */
  static void registerMetricsApi(
      KubernetesClient client,
      ClusterCertificates certificates,
      int port,
      List<ComponentProcess> running) {
    Readiness.awaitAll(
        running, () -> Readiness.listening(port), "metrics-server to listen on 127.0.0.1:" + port);
    client.services().resource(metricsServerService(port)).create();
    client
        .genericKubernetesResources("apiregistration.k8s.io/v1", "APIService")
        .resource(
            metricsApiService(port, ClusterCertificates.base64Of(certificates.caCertificate())))
        .create();
    Readiness.awaitAll(
        running,
        () -> metricsApiAvailable(client),
        "the APIService " + METRICS_API_SERVICE + " (metrics-server) to be Available");
  }

  /**
   * The host-path volumes' folders, read while the API server runs; when it cannot answer, they are
   * left in {@code /tmp/hostpath_pv} (empty folders: simulated pods write nothing) and the log says
   * so.
   */
  static List<Path> hostPathFolders(Path kubeconfig) {
    try (KubernetesClient client = LocalCluster.newClient(kubeconfig)) {
      return provisionedHostPathFolders(client);
    } catch (KubernetesClientException e) {
      log.warn(
          "could not list the cluster's volumes, so their folders under {} stay: {}",
          HOST_PATH_ROOT,
          e.getMessage());
      return List.of();
    }
  }

  static void deleteFolders(List<Path> folders) {
    for (Path folder : folders) {
      if (!Files.exists(folder)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(folder)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      } catch (IOException e) {
        throw LocalSetupException.failed("could not delete the volume folder " + folder, e);
      }
    }
  }
}
