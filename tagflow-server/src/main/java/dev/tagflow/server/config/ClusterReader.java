package dev.tagflow.server.config;

import dev.tagflow.NodeText;
import dev.tagflow.TagflowException;
import dev.tagflow.server.config.ServerSettings.Cluster;
import dev.tagflow.yaml.YamlLimits;
import dev.tagflow.yaml.YamlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code clusters:} of a settings file: one name each, a kubeconfig that is there and a
 * context it has, each mistake placed at its line.
 */
final class ClusterReader {

  private static final List<String> CLUSTER_KEYS = List.of("name", "kubeconfig", "context");

  private final YamlLimits limits;
  private final YamlReader kubeconfigs;
  private final SettingsProblems problems;
  private final SettingsPaths paths;

  ClusterReader(YamlLimits limits, SettingsProblems problems, SettingsPaths paths) {
    this.limits = limits;
    this.kubeconfigs = new YamlReader(limits, false);
    this.problems = problems;
    this.paths = paths;
  }

  /** The clusters of the file; the local one alone when it names none. */
  List<Cluster> clusters(YamlFields r) {
    if (!r.has("clusters")) {
      return List.of(Cluster.local());
    }
    List<Cluster> out = new ArrayList<>();
    Map<String, Integer> lines = new HashMap<>();
    for (YamlFields c : r.mappings("clusters")) {
      Optional<String> name = c.requiredString("name", Cluster.LOCAL);
      Optional<Path> kubeconfig =
          paths.existingFile(c, "kubeconfig", "a kubeconfig (kubectl config view)", problems);
      Optional<String> context = c.string("context").map(String::strip);
      c.finish(CLUSTER_KEYS);
      if (kubeconfig.isPresent() && context.isPresent()) {
        checkContext(c, kubeconfig.get(), context.get());
      }
      if (name.isEmpty()) {
        continue;
      }
      if (!ServerSettingsReader.NAME.matcher(name.get()).matches()) {
        problems.add(
            c.valueMark("name"),
            c.child("name")
                + " '"
                + name.get()
                + "' must be letters, digits, '.', '_' and '-', starting with a letter or digit"
                + " (it need not be the context's name: give that as context)");
        continue;
      }
      Integer first = lines.putIfAbsent(name.get(), c.start().getLine() + 1);
      if (first != null) {
        problems.add(
            c.valueMark("name"),
            "a second cluster named '"
                + name.get()
                + "' (the first is at line "
                + first
                + "); an Application's destination.cluster must name one");
        continue;
      }
      out.add(new Cluster(name.get(), kubeconfig, context));
    }
    return out;
  }

  /**
   * Refuses a context the kubeconfig does not have, now rather than at the first sync: a client
   * given an unknown context falls back to the current one, which is another cluster.
   */
  private void checkContext(YamlFields c, Path kubeconfig, String context) {
    List<String> names = new ArrayList<>();
    try {
      JsonNode config = kubeconfigs.readFirst(kubeconfig.toString(), limits.readFile(kubeconfig));
      config.path("contexts").forEach(entry -> names.add(NodeText.of(entry.path("name"))));
    } catch (TagflowException unreadable) {
      problems.add(
          c.valueMark("kubeconfig"),
          c.child("kubeconfig") + " cannot be read: " + unreadable.getMessage());
      return;
    }
    if (!names.contains(context)) {
      problems.add(
          c.valueMark("context"),
          c.child("context")
              + " '"
              + context
              + "' is not a context of "
              + kubeconfig
              + " (it has: "
              + (names.isEmpty() ? "none" : String.join(", ", names))
              + ")");
    }
  }
}
