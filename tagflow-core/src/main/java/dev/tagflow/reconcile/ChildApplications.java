package dev.tagflow.reconcile;

import dev.tagflow.GroupKind;
import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.ApplicationLoader;
import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.reconcile.ApplicationRegistry.SourceProblem;
import dev.tagflow.render.Manifest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Argo CD's app of apps: Application objects among an application's rendered manifests (a Helm
 * chart's templates, a directory of files; ours and Argo CD's API group) are its child
 * applications. They are registered in the {@link ApplicationRegistry} under the source {@code
 * app:<parent>} instead of being applied to the cluster, so they are kept while the parent renders
 * them and removed (their objects pruned as their own policy says) with the parent or when it stops
 * rendering them.
 *
 * <p>Guards: a child that names its parent or one of its ancestors (a cycle) is refused, and so are
 * the children of an application already {@value #MAX_DEPTH} levels down; each refusal is a problem
 * of the parent's child source and a {@code ChildApplicationRefused} warning on the parent, while
 * the other children register.
 */
final class ChildApplications {

  private static final Logger log = LoggerFactory.getLogger(ChildApplications.class);

  /** How many levels of parents an application may have: Argo CD users nest two or three. */
  static final int MAX_DEPTH = 5;

  private static final Set<String> GROUPS = Set.of("tagflow.dev", "argoproj.io");

  /**
   * The children found among one render.
   *
   * @param applications the Applications read
   * @param problems what could not be read, each {@code file:line:column: message}
   */
  record Found(List<Application> applications, List<String> problems) {
    static final Found NONE = new Found(List.of(), List.of());

    Found {
      applications = List.copyOf(applications);
      problems = List.copyOf(problems);
    }
  }

  private final ApplicationLoader loader;
  private final ObjectJson json = new ObjectJson();

  ChildApplications(ApplicationLoader loader) {
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  /** Whether the object is an Application (ours or Argo CD's), not something to apply. */
  static boolean isApplication(GenericKubernetesResource object) {
    GroupKind kind = GroupKind.fromApiVersion(object.getApiVersion(), object.getKind());
    return kind.kind().equals("Application") && GROUPS.contains(kind.group());
  }

  /**
   * Reads the Application manifests as Applications; one that does not load is a problem named by
   * the file and line it was rendered from, the rest are read.
   */
  Found read(List<Manifest> applications) {
    List<Application> read = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Manifest manifest : applications) {
      // Positions in a problem are those of the object as rendered, written out as YAML.
      String name = manifest.file() + ":" + manifest.line() + " (as rendered)";
      try {
        read.addAll(loader.load(name, json.toYaml(json.toMap(manifest.object()))));
      } catch (TagflowException e) {
        problems.add(e.getMessage());
      }
    }
    return new Found(read, problems);
  }

  /**
   * Makes the parent's children in the registry those found, refusing cycles and depth.
   *
   * @return the refusals and problems, for the parent's status (empty when every child is fine)
   */
  List<String> register(ApplicationRegistry registry, String parent, Found found) {
    String source = ApplicationRegistry.childSource(parent);
    List<String> ancestors = registry.ancestors(parent);
    List<String> messages = new ArrayList<>(found.problems());
    List<Application> accepted = new ArrayList<>();
    if (!found.applications().isEmpty() && ancestors.size() + 1 >= MAX_DEPTH) {
      messages.add(
          "'"
              + parent
              + "' is "
              + (ancestors.size() + 1)
              + " levels of child applications deep ("
              + chain(parent, ancestors)
              + "); its "
              + found.applications().size()
              + " child applications are not registered (at most "
              + MAX_DEPTH
              + " levels)");
    } else {
      for (Application child : found.applications()) {
        if (child.name().equals(parent)) {
          messages.add(
              child.origin()
                  + ": the child Application '"
                  + child.name()
                  + "' has its parent's name (a cycle); give it another name");
        } else if (ancestors.contains(child.name())) {
          messages.add(
              child.origin()
                  + ": the child Application '"
                  + child.name()
                  + "' names an ancestor ("
                  + child.name()
                  + " → "
                  + chain(parent, ancestors.subList(0, ancestors.indexOf(child.name())))
                  + " → "
                  + child.name()
                  + ": a cycle); give it another name");
        } else {
          accepted.add(child);
        }
      }
    }
    List<SourceProblem> problems =
        messages.stream().map(m -> new SourceProblem(source, parent, m, List.of(parent))).toList();
    registry.replace(source, accepted, problems);
    List<String> all = new ArrayList<>(messages);
    registry.problems().stream()
        .filter(p -> p.source().equals(source) && !messages.contains(p.message()))
        .forEach(p -> all.add(p.message()));
    if (!all.isEmpty()) {
      log.warn("application={} child applications: {}", parent, String.join("; ", all));
    }
    return all;
  }

  /** {@code root → … → parent}: the chain of parents down to this one. */
  private static String chain(String parent, List<String> ancestors) {
    List<String> names = new ArrayList<>(ancestors.reversed());
    names.add(parent);
    return String.join(" → ", names);
  }
}
