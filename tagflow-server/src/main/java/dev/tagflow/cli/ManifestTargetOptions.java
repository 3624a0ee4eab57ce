package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.cluster.ClusterConnections;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.yaml.YamlLimits;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options {@code tagflow diff} and {@code tagflow sync} share: what to sync — an Application
 * file, or a directory of manifests with the application it is and where it goes — and which
 * cluster (a kubeconfig context).
 */
final class ManifestTargetOptions {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "<application.yaml>",
      description =
          "A file of Applications (ours or Argo CD's): its source is rendered at its revision and"
              + " compared with, or synced to, its destination. Or give --manifests.")
  Path applicationFile;

  @Option(
      names = "--manifests",
      paramLabel = "<dir>",
      description = "Directory of YAML or JSON manifests (*.yaml, *.yml, *.json; not recursive).")
  Path manifests;

  @Option(
      names = "--app",
      paramLabel = "<name>",
      description =
          "With --manifests: the application name, written into each object's tracking id and"
              + " inventory.")
  String application;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "<namespace>",
      description = "With --manifests: where namespaced objects that name none go.")
  String namespace;

  @Option(
      names = "--revision",
      paramLabel = "<revision>",
      description = "With an Application file: this branch, tag or commit instead of its own.")
  String revision;

  @Option(
      names = "--context",
      paramLabel = "<context>",
      description =
          "kubeconfig context (default: the Application's destination cluster; local and"
              + " in-cluster mean the current context, as does no Application).")
  String context;

  @Option(
      names = "--kubeconfig",
      paramLabel = "<file>",
      description = "kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).")
  Path kubeconfig;

  /**
   * Whether an Application file was given rather than {@code --manifests}; checks that exactly one
   * was, with what each form needs.
   */
  boolean isApplicationFile() {
    if ((applicationFile == null) == (manifests == null)) {
      throw TagflowException.invalidInput(
          applicationFile == null
              ? "give an Application file (tagflow sync app.yaml) or --manifests <dir> --app <name>"
                  + " -n <namespace>"
              : "give either an Application file or --manifests, not both");
    }
    if (applicationFile != null) {
      if (application != null || namespace != null) {
        throw TagflowException.invalidInput(
            "--app and --namespace go with --manifests; an Application file names its"
                + " application (metadata.name) and namespace (spec.destination.namespace)");
      }
      return true;
    }
    if (revision != null) {
      throw TagflowException.invalidInput(
          "--revision goes with an Application file; --manifests are used as they are");
    }
    if (application == null || namespace == null) {
      throw TagflowException.invalidInput(
          "--manifests needs --app <name> and -n <namespace> (the application the objects are"
              + " tracked as, and where namespaced objects go)");
    }
    return false;
  }

  List<GenericKubernetesResource> readManifests() {
    if (!Files.isDirectory(manifests)) {
      throw TagflowException.invalidInput(
          "--manifests " + manifests + " is not a directory of YAML files");
    }
    ObjectJson json = new ObjectJson();
    YamlLimits limits = YamlLimits.defaults();
    List<GenericKubernetesResource> objects = new ArrayList<>();
    try (Stream<Path> files = Files.list(manifests)) {
      Path root = manifests.toRealPath();
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
          insideAndRegular(root, file);
          // Refused by size before it is read; the messages name the file and line.
          objects.addAll(json.readYaml(file.toString(), limits.readFile(file)));
        }
      }
    } catch (IOException e) {
      throw TagflowException.invalidInput("cannot read " + manifests + ": " + e.getMessage());
    }
    if (objects.isEmpty()) {
      throw TagflowException.invalidInput("no Kubernetes objects in " + manifests);
    }
    return objects;
  }

  /**
   * Refuses a file that is not a regular file inside the directory: a symbolic link out of it (to a
   * secret, say) would otherwise be read, and a parse error would show its content, as Git sources
   * refuse such links; a FIFO or device would block or never end.
   */
  private static void insideAndRegular(Path root, Path file) throws IOException {
    Path real = file.toRealPath();
    if (!real.startsWith(root)) {
      throw TagflowException.invalidInput(
          file
              + " is a symbolic link to a file outside "
              + root
              + ": --manifests reads only files inside the directory; copy the file in instead");
    }
    if (!Files.isRegularFile(real)) {
      throw TagflowException.invalidInput(
          file + " is not a regular file: --manifests reads only YAML and JSON files");
    }
  }

  ClusterConnections connections() {
    return new ClusterConnections(
        KubeconfigFile.locate(kubeconfig, "; give --kubeconfig or set KUBECONFIG"));
  }

  Optional<String> context() {
    return Optional.ofNullable(context);
  }
}
