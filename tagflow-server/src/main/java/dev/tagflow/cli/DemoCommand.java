package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.testkit.cluster.LocalCluster;
import dev.tagflow.testkit.registry.LocalRegistry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow demo}: Tagflow's end-to-end demo on the built-in local setup. For now it brings up
 * the local cluster and registry, deploys the sample application and shows it Available.
 */
@Command(
    name = "demo",
    description = {
      "Run the demo on the built-in local setup: a real local cluster and registry, the sample",
      "application applied with server-side apply, and its rollout watched until Available."
    })
final class DemoCommand implements Callable<Integer> {

  private static final String NAMESPACE = "demo";
  private static final Duration ROLLOUT_TIMEOUT = Duration.ofSeconds(120);
  private static final int REGISTRY_FIRST_PORT = 15000;

  @Spec CommandSpec spec;
  @Mixin LocalClusterOptions cluster;

  DemoCommand() {}

  @Override
  public Integer call() {
    if ("local".equals(cluster.name)) {
      cluster.name = "demo";
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path state = cluster.stateDir();

    step(out, "1/4", "local Kubernetes cluster '" + cluster.name + "'");
    if (LocalCluster.isRunning(state)) {
      out.println("      running already: " + LocalCluster.serverUrlIn(state).orElse("?"));
    } else {
      LocalCluster.start(cluster.clusterOptions(false), line -> err.println("      " + line));
    }

    step(out, "2/4", "local OCI registry");
    LocalRegistry registry = LocalRegistry.start(state, REGISTRY_FIRST_PORT);
    out.println("      " + registry.url() + "/v2/ answers (pid " + registry.process().pid() + ")");

    try (KubernetesClient client = LocalCluster.newClient(state.resolve("kubeconfig"))) {
      step(out, "3/4", "apply the sample application to namespace '" + NAMESPACE + "'");
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .fieldManager("tagflow")
          .serverSideApply();
      for (HasMetadata object : sampleObjects(client, registry.address())) {
        HasMetadata applied =
            client
                .resource(object)
                .inNamespace(NAMESPACE)
                .fieldManager("tagflow")
                .forceConflicts()
                .serverSideApply();
        out.printf(
            "      applied %s/%s (resourceVersion %s)%n",
            applied.getKind(),
            applied.getMetadata().getName(),
            applied.getMetadata().getResourceVersion());
      }

      step(out, "4/4", "watch the rollout of Deployment " + NAMESPACE + "/web");
      Instant started = Instant.now();
      Deployment web = awaitAvailable(client);
      out.printf(
          "      Available: %d/%d replicas ready after %d ms%n",
          web.getStatus().getReadyReplicas(),
          web.getSpec().getReplicas(),
          Duration.between(started, Instant.now()).toMillis());
      out.printf("      %-36s %-10s %-14s %s%n", "POD", "PHASE", "NODE", "IMAGE");
      List<Pod> pods =
          client
              .pods()
              .inNamespace(NAMESPACE)
              .withLabel("app.kubernetes.io/name", "web")
              .list()
              .getItems();
      for (Pod pod : pods) {
        out.printf(
            "      %-36s %-10s %-14s %s%n",
            pod.getMetadata().getName(),
            pod.getStatus().getPhase(),
            pod.getSpec().getNodeName(),
            pod.getSpec().getContainers().getFirst().getImage());
      }
    }
    out.println();
    out.println("The demo cluster and registry keep running. Look around with kubectl:");
    out.println(
        "  export KUBECONFIG=$(./tagflow cluster kubeconfig --path --name " + cluster.name + ")");
    out.println("Stop everything with:  ./tagflow cluster down --name " + cluster.name);
    return ExitCode.OK;
  }

  private static void step(PrintWriter out, String number, String what) {
    out.println("[" + number + "] " + what);
    out.flush();
  }

  private static List<HasMetadata> sampleObjects(KubernetesClient client, String registry) {
    try (InputStream in = DemoCommand.class.getResourceAsStream("demo-web.yaml")) {
      String yaml =
          new String(
                  Objects.requireNonNull(in, "demo-web.yaml").readAllBytes(),
                  StandardCharsets.UTF_8)
              .replace("REGISTRY", registry);
      return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    } catch (IOException e) {
      throw TagflowException.failed("could not read the sample application", e);
    }
  }

  private static Deployment awaitAvailable(KubernetesClient client) {
    try {
      return client
          .apps()
          .deployments()
          .inNamespace(NAMESPACE)
          .withName("web")
          .waitUntilCondition(
              d ->
                  d != null
                      && d.getStatus() != null
                      && d.getStatus().getConditions() != null
                      && d.getStatus().getConditions().stream()
                          .anyMatch(
                              c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()))
                      && Objects.equals(
                          d.getStatus().getReadyReplicas(), d.getSpec().getReplicas()),
              ROLLOUT_TIMEOUT.toSeconds(),
              TimeUnit.SECONDS);
    } catch (KubernetesClientTimeoutException e) {
      throw TagflowException.failed(
          "Deployment demo/web did not become Available within "
              + ROLLOUT_TIMEOUT.toSeconds()
              + " s; look at 'kubectl -n demo describe deployment web' and the logs in "
              + "<data-dir>/clusters/<name>/logs");
    }
  }
}
