package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.local.cluster.LocalCluster;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.local.registry.LocalRegistry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tagflow demo}: Tagflow's end-to-end demo on the built-in local setup. Today it runs the
 * GitOps half: a real local cluster and registry, an environment repository in Git with a Helm
 * chart, the Application synced by Tagflow's engine and watched until healthy, then a new version
 * promoted by a commit and rolled out. The release pipeline joins it in a later issue.
 */
@Command(
    name = "demo",
    description = {
      "Run the demo on the built-in local setup: a real local cluster and registry, an",
      "environment repository with a Helm chart, its Application synced and watched until",
      "healthy, then a new version promoted by a Git commit and rolled out."
    })
final class DemoCommand implements Callable<Integer> {

  private static final String NAMESPACE = "demo";
  private static final int REGISTRY_FIRST_PORT = 15000;
  private static final List<String> CHART_FILES =
      List.of(
          "charts/web/Chart.yaml",
          "charts/web/values.yaml",
          "charts/web/templates/configmap.yaml",
          "charts/web/templates/deployment.yaml",
          "charts/web/templates/service.yaml");

  @Spec CommandSpec spec;
  @Mixin LocalClusterOptions cluster;

  @Override
  public Integer call() {
    if ("local".equals(cluster.name)) {
      cluster.name = "demo";
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path state = cluster.stateDir();
    Path kubeconfig = state.resolve("kubeconfig");

    step(out, "1/6", "local Kubernetes cluster '" + cluster.name + "'");
    if (LocalCluster.isRunning(state)) {
      out.println("      running already: " + LocalCluster.serverUrlIn(state).orElse("?"));
    } else {
      LocalCluster.start(cluster.clusterOptions(false), line -> err.println("      " + line));
    }

    step(out, "2/6", "local OCI registry");
    LocalRegistry registry = LocalRegistry.start(state, REGISTRY_FIRST_PORT, false);
    out.println("      " + registry.url() + "/v2/ answers (pid " + registry.process().pid() + ")");

    step(out, "3/6", "environment repository with the web chart; dev runs web 1.0.0");
    GitWorkTree environments = environmentRepository(state.resolve("environments"), registry);
    Path application = state.resolve("web-dev.yaml");
    write(application, resource("web-dev.yaml").replace("REPO_URL", environments.url()));
    out.println("      repository " + environments.url() + " (charts/web, environments/dev)");
    out.println("      Application " + application);

    step(out, "4/6", "sync the Application: render the chart at main, apply, wait for health");
    tagflow(out, err, "sync", application.toString(), "--kubeconfig", kubeconfig.toString());

    step(out, "5/6", "promote web 1.1.0 to dev with a commit, see the diff, sync again");
    environments.write("environments/dev/values.yaml", devValues("1.1.0")).commit("dev: web 1.1.0");
    tagflow(out, err, "diff", application.toString(), "--kubeconfig", kubeconfig.toString());
    tagflow(out, err, "sync", application.toString(), "--kubeconfig", kubeconfig.toString());

    step(out, "6/6", "what runs in namespace " + NAMESPACE);
    try (KubernetesClient client = LocalCluster.newClient(kubeconfig)) {
      printPods(out, client);
    }
    out.println();
    out.println(
        "The demo keeps running. Look around with kubectl, or change the repository and sync:");
    out.println(
        "  export KUBECONFIG=$(./tagflow cluster kubeconfig --path --name " + cluster.name + ")");
    out.println("  ./tagflow diff " + application + " --kubeconfig $KUBECONFIG");
    out.println("Stop everything with:  ./tagflow cluster down --name " + cluster.name);
    return ExitCode.OK;
  }

  /** A fresh repository each run, so the demo tells the same story every time. */
  private GitWorkTree environmentRepository(Path dir, LocalRegistry registry) {
    deleteRecursively(dir);
    GitWorkTree repo = GitWorkTree.init(dir);
    for (String file : CHART_FILES) {
      repo.write(file, resource(file).replace("REGISTRY", registry.address()));
    }
    repo.write("environments/dev/values.yaml", devValues("1.0.0"));
    repo.commit("dev: web 1.0.0");
    return repo;
  }

  private static String devValues(String version) {
    return "# The dev environment of web: what the promotion of a release changes.\n"
        + "image:\n  tag: \""
        + version
        + "\"\ngreeting: hello from dev\n";
  }

  /** Runs a tagflow command as a person would type it, showing it first. */
  private void tagflow(PrintWriter out, PrintWriter err, String... args) {
    out.println("      $ tagflow " + String.join(" ", args));
    out.flush();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(cluster.dataDir.resolve().toString());
    int code = Main.run(all.toArray(String[]::new), out, err);
    // diff answers 1 when something differs, which is what the demo wants to show.
    if (code != ExitCode.OK && !(args[0].equals("diff") && code == ExitCode.FAILED)) {
      throw TagflowException.failed(
          "the demo stopped: 'tagflow " + String.join(" ", args) + "' exited with " + code);
    }
  }

  private static void printPods(PrintWriter out, KubernetesClient client) {
    out.printf("      %-32s %-10s %-14s %s%n", "POD", "PHASE", "NODE", "IMAGE");
    List<Pod> pods =
        client
            .pods()
            .inNamespace(NAMESPACE)
            .withLabel("app.kubernetes.io/name", "web")
            .list()
            .getItems();
    for (Pod pod : pods) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      out.printf(
          "      %-32s %-10s %-14s %s%n",
          pod.getMetadata().getName(),
          pod.getStatus().getPhase(),
          pod.getSpec().getNodeName(),
          pod.getSpec().getContainers().getFirst().getImage());
    }
  }

  private static void step(PrintWriter out, String number, String what) {
    out.println();
    out.println("[" + number + "] " + what);
    out.flush();
  }

  private static String resource(String name) {
    try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + name)) {
      return new String(
          Objects.requireNonNull(in, "demo resource " + name).readAllBytes(),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw TagflowException.failed("could not read the demo's " + name, e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw TagflowException.failed("could not write " + file, e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw TagflowException.failed("could not clear " + dir, e);
    }
  }
}
