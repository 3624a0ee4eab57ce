package dev.tagflow.server.config;

import dev.tagflow.app.Suggestion;
import dev.tagflow.app.YamlValues;
import dev.tagflow.health.HealthRule;
import dev.tagflow.health.HealthRuleReader;
import dev.tagflow.schedule.CronSchedule;
import dev.tagflow.schedule.Selector;
import dev.tagflow.schedule.SyncWindow;
import dev.tagflow.server.config.ServerSettings.Cluster;
import dev.tagflow.server.config.ServerSettings.Destination;
import dev.tagflow.server.config.ServerSettings.Project;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code projects:} of a settings file: where each project's applications may go, its health
 * rules in the format of {@link HealthRuleReader}, and its notification webhooks ({@link
 * NotificationReader}) and its sync windows, each mistake placed at its line.
 */
final class ProjectReader {

  private static final List<String> PROJECT_KEYS =
      List.of("name", "destinations", "healthRules", "notifications", "syncWindows");
  private static final List<String> WINDOW_KEYS =
      List.of(
          "kind",
          "schedule",
          "duration",
          "timeZone",
          "manualSync",
          "applications",
          "namespaces",
          "clusters");
  private static final List<String> DESTINATION_KEYS = List.of("cluster", "namespace");
  private static final Pattern NAMESPACE_GLOB = Pattern.compile("[a-z0-9*?]([-a-z0-9*?]*)?");
  private static final Pattern SEGMENT = Pattern.compile("\\.([^.\\[]+)|\\[(\\d+)]");

  private final SettingsProblems problems;
  private final HealthRuleReader healthRules;
  private final NotificationReader notifications;

  ProjectReader(SettingsProblems problems, HealthRuleReader healthRules, SettingsPaths paths) {
    this.problems = problems;
    this.healthRules = healthRules;
    this.notifications = new NotificationReader(problems, paths);
  }

  List<Project> projects(YamlFields root, List<Cluster> clusters) {
    List<Project> out = new ArrayList<>();
    Map<String, Integer> lines = new HashMap<>();
    List<String> clusterNames = clusters.stream().map(Cluster::name).toList();
    for (YamlFields p : root.mappings("projects")) {
      Optional<String> name = p.requiredString("name", "shop");
      name.filter(n -> !ServerSettingsReader.NAME.matcher(n).matches())
          .ifPresent(
              n ->
                  problems.add(
                      p.valueMark("name"),
                      p.child("name")
                          + " '"
                          + n
                          + "' must be letters, digits, '.', '_' and '-', starting with a letter"
                          + " or digit"));
      List<Destination> destinations = new ArrayList<>();
      for (YamlFields d : p.mappings("destinations")) {
        destination(d, clusterNames).ifPresent(destinations::add);
      }
      if (!p.has("destinations")) {
        problems.add(
            p.start(),
            "missing "
                + p.child("destinations")
                + ": where may its applications go? (e.g. destinations: [{cluster: local,"
                + " namespace: 'shop-*'}])");
      }
      List<HealthRule> rules = p.value("healthRules").map(n -> rules(n, p)).orElse(List.of());
      List<NotificationWebhook> webhooks = notifications.webhooks(p);
      List<SyncWindow.Scoped> windows = new ArrayList<>();
      for (YamlFields w : p.mappings("syncWindows")) {
        window(w).ifPresent(windows::add);
      }
      p.finish(PROJECT_KEYS);
      if (name.isEmpty()) {
        continue;
      }
      Integer first = lines.putIfAbsent(name.get(), p.start().getLine() + 1);
      if (first != null) {
        problems.add(
            p.valueMark("name"),
            "a second project named '"
                + name.get()
                + "' (the first is at line "
                + first
                + "); merge them, or give each its own name");
        continue;
      }
      out.add(new Project(name.get(), destinations, rules, webhooks, windows));
    }
    return out;
  }

  private Optional<Destination> destination(YamlFields d, List<String> clusters) {
    Optional<String> cluster = d.requiredString("cluster", "local");
    Optional<String> namespace = d.requiredString("namespace", "'shop-*'");
    d.finish(DESTINATION_KEYS);
    cluster
        .filter(c -> !c.equals("*") && !clusters.contains(c))
        .ifPresent(
            c -> {
              StringBuilder message =
                  new StringBuilder(d.child("cluster") + " '" + c + "' names no cluster");
              Suggestion.closest(c, clusters)
                  .ifPresent(s -> message.append("; did you mean '").append(s).append("'?"));
              message.append(
                  " (known: "
                      + (clusters.isEmpty() ? "none" : String.join(", ", clusters))
                      + "; '*' for every cluster)");
              problems.add(d.valueMark("cluster"), message.toString());
            });
    namespace
        .filter(n -> !NAMESPACE_GLOB.matcher(n).matches() || n.length() > 63)
        .ifPresent(
            n ->
                problems.add(
                    d.valueMark("namespace"),
                    d.child("namespace")
                        + " '"
                        + n
                        + "' must be a namespace or a glob of them: lower-case letters, digits"
                        + " and '-', with '*' for any characters and '?' for one (e.g. 'shop-*')"));
    if (cluster.isEmpty() || namespace.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Destination(cluster.get(), namespace.get()));
  }

  /**
   * A sync window as Argo CD writes it: {@code kind}, {@code schedule} (five cron fields or a
   * macro), {@code duration}, optional {@code timeZone} (UTC) and {@code manualSync}, and the
   * applications, namespaces and clusters it applies to (globs; at least one).
   */
  private Optional<SyncWindow.Scoped> window(YamlFields w) {
    Optional<SyncWindow.Kind> kind =
        w.requiredString("kind", "deny")
            .flatMap(
                k ->
                    switch (k) {
                      case "allow" -> Optional.of(SyncWindow.Kind.ALLOW);
                      case "deny" -> Optional.of(SyncWindow.Kind.DENY);
                      default -> {
                        problems.add(
                            w.valueMark("kind"),
                            w.child("kind") + " '" + k + "' must be allow or deny");
                        yield Optional.empty();
                      }
                    });
    Optional<CronSchedule> schedule =
        w.requiredString("schedule", "'0 22 * * *'")
            .flatMap(
                text -> {
                  Optional<String> problem = CronSchedule.problem(text);
                  problem.ifPresent(
                      why ->
                          problems.add(
                              w.valueMark("schedule"),
                              w.child("schedule")
                                  + " '"
                                  + text
                                  + "': "
                                  + why
                                  + " (five cron fields: minute hour day-of-month month"
                                  + " weekday, or @daily and the like)"));
                  return problem.isPresent()
                      ? Optional.empty()
                      : Optional.of(CronSchedule.parse(text));
                });
    if (!w.has("duration")) {
      problems.add(w.start(), "missing " + w.child("duration") + " (e.g. 1h30m)");
    }
    Optional<Duration> duration =
        w.duration("duration", Duration.ofMinutes(1), "a window is open for whole minutes");
    ZoneId zone = ZoneId.of("UTC");
    Optional<String> timeZone = w.string("timeZone");
    if (timeZone.isPresent()) {
      try {
        zone = ZoneId.of(timeZone.get());
      } catch (DateTimeException e) {
        problems.add(
            w.valueMark("timeZone"),
            w.child("timeZone")
                + " '"
                + timeZone.get()
                + "' is not a time zone; write one such as Europe/Berlin or UTC");
      }
    }
    boolean manual = w.bool("manualSync").orElse(false);
    Selector selector =
        new Selector(w.strings("applications"), w.strings("namespaces"), w.strings("clusters"));
    if (selector.applications().isEmpty()
        && selector.namespaces().isEmpty()
        && selector.clusters().isEmpty()) {
      problems.add(
          w.start(),
          w.child("applications")
              + ", namespaces or clusters must name what the window applies to (e.g."
              + " applications: ['*'] for every application of the project)");
    }
    w.finish(WINDOW_KEYS);
    if (kind.isEmpty() || schedule.isEmpty() || duration.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new SyncWindow.Scoped(
            new SyncWindow(kind.get(), schedule.get(), duration.get(), zone, manual), selector));
  }

  /** The rules, with each mistake the health rules' reader finds placed where it is. */
  private List<HealthRule> rules(Node node, YamlFields project) {
    String path = project.child("healthRules");
    if (!(node instanceof SequenceNode)) {
      problems.add(
          node.getStartMark(),
          path + " must be a list of rules (- kind: Certificate …), not " + YamlFields.shape(node));
      return List.of();
    }
    HealthRuleReader.Checked checked = healthRules.check(YamlValues.plain(node), path);
    for (HealthRuleReader.Mistake mistake : checked.mistakes()) {
      problems.add(locate(node, mistake.path().substring(path.length())), mistake.message());
    }
    return checked.rules();
  }

  /**
   * Where a path below {@code node} is ({@code [0].cases[1].health}): the key of its last field, or
   * the entry of its last index; as near as the file has it when part of the path is absent.
   */
  private static Mark locate(Node node, String below) {
    Matcher segments = SEGMENT.matcher(below);
    Node at = node;
    Mark mark = node.getStartMark();
    while (segments.find()) {
      String key = segments.group(1);
      if (key != null && at instanceof MappingNode mapping) {
        Optional<NodeTuple> field =
            mapping.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
                .findFirst();
        if (field.isEmpty()) {
          break;
        }
        mark = field.get().getKeyNode().getStartMark();
        at = field.get().getValueNode();
      } else if (segments.group(2) != null && at instanceof SequenceNode sequence) {
        int index = Integer.parseInt(segments.group(2));
        if (index >= sequence.getValue().size()) {
          break;
        }
        at = sequence.getValue().get(index);
        mark = at.getStartMark();
      } else {
        break;
      }
    }
    return mark;
  }
}
