package dev.tagflow.local.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;

/**
 * Workloads for tests on the local cluster, whose pods kwok runs: a Deployment that becomes
 * Available (or, labelled, never Ready) and a pod that fails. Images are never pulled.
 */
public final class SimulatedWorkloads {

  private SimulatedWorkloads() {}

  /**
   * A Deployment of two replicas labelled {@code app=<name>}.
   *
   * @param podLabels extra pod labels, e.g. {@link LocalCluster#READY_LABEL} {@code "false"}
   * @param progressDeadlineSeconds after which a rollout that stalls reports
   *     ProgressDeadlineExceeded
   */
  public static Deployment deployment(
      String namespace, String name, Map<String, String> podLabels, int progressDeadlineSeconds) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withReplicas(2)
        .withProgressDeadlineSeconds(progressDeadlineSeconds)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .addToLabels(podLabels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("example.invalid/" + name + ":1.0.0")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A pod that runs, then fails: phase Failed ({@link LocalCluster#FAIL_LABEL}). */
  public static Pod failingPod(String namespace, String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels(LocalCluster.FAIL_LABEL, "true")
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("main")
        .withImage("example.invalid/app:1.0.0")
        .endContainer()
        .endSpec()
        .build();
  }
}
