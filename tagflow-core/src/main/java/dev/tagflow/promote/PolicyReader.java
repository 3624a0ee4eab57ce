package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import dev.tagflow.app.GoDuration;
import dev.tagflow.yaml.YamlComposer;
import dev.tagflow.yaml.YamlLimits;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads {@code environments/policy.yaml}: every mistake is reported at once, each with
 * file:line:column and how to fix it; a policy with any mistake is not used at all.
 */
public final class PolicyReader {

  static final String API_VERSION = "tagflow.dev/v1alpha1";
  static final String KIND = "EnvironmentPolicy";
  private static final int MAX_APPROVALS = 20;

  private final YamlComposer yaml;

  public PolicyReader(YamlLimits limits) {
    this.yaml = new YamlComposer(limits);
  }

  /**
   * Reads a policy.
   *
   * @throws TagflowException (INVALID_INPUT) listing every mistake with file:line:column
   */
  public EnvironmentPolicy read(String file, String text) {
    Problems problems = new Problems(file);
    List<Environment> environments = new ArrayList<>();
    try {
      Node root = yaml.composeOne(file, text, 0);
      if (root == null) {
        problems.add(null, "the policy is empty; write apiVersion, kind and environments");
      } else {
        readRoot(root, problems, environments);
      }
    } catch (MarkedYAMLException e) {
      Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      problems.add(at, "not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      // The reader's own refusals (a control character) carry no mark, only a position.
      problems.add(null, "not valid YAML: " + e.getMessage().replace('\n', ' '));
    }
    checkOrder(environments, problems);
    problems.throwIfAny();
    return new EnvironmentPolicy(file, environments);
  }

  private void readRoot(Node root, Problems problems, List<Environment> out) {
    Fields top = Fields.of(root, "the policy", problems);
    if (top == null) {
      return;
    }
    top.require("apiVersion", API_VERSION);
    top.require("kind", KIND);
    Optional<Node> list = top.node("environments");
    if (list.isEmpty()) {
      problems.add(root.getStartMark(), "environments is missing: list the environments in order");
    } else if (!(list.get() instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
      problems.add(
          list.get().getStartMark(), "environments must be a list of environments, in order");
    } else {
      Map<String, Mark> seen = new HashMap<>();
      for (Node node : sequence.getValue()) {
        readEnvironment(node, problems, seen).ifPresent(out::add);
      }
    }
    top.finish(Set.of("apiVersion", "kind", "environments"));
  }

  private Optional<Environment> readEnvironment(
      Node node, Problems problems, Map<String, Mark> seen) {
    Fields fields = Fields.of(node, "an environment", problems);
    if (fields == null) {
      return Optional.empty();
    }
    Optional<String> name = fields.string("name");
    if (name.isEmpty()) {
      problems.add(node.getStartMark(), "an environment needs a name");
      return Optional.empty();
    }
    if (!name.get().matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
      problems.add(
          fields.mark("name"),
          "'"
              + name.get()
              + "' is not an environment name: use lowercase letters, digits and '-' (it names"
              + " the folder environments/<name>)");
    }
    Mark earlier = seen.putIfAbsent(name.get(), fields.mark("name"));
    if (earlier != null) {
      problems.add(
          fields.mark("name"),
          "a second environment named "
              + name.get()
              + " (the first is at line "
              + (earlier.getLine() + 1)
              + ")");
    }
    List<AcceptRule> accept = new ArrayList<>();
    Optional<Node> rules = fields.node("accept");
    if (rules.isEmpty()
        || !(rules.get() instanceof SequenceNode list)
        || list.getValue().isEmpty()) {
      problems.add(
          rules.map(Node::getStartMark).orElse(node.getStartMark()),
          "environment "
              + name.get()
              + " needs accept: a list of rules such as {tags: \"v*\"} or {branches: main}");
    } else {
      for (Node rule : list.getValue()) {
        readRule(rule, problems).ifPresent(accept::add);
      }
    }
    Environment.Promotion promotion = readPromotion(fields, node, name.get(), problems);
    List<Environment.SyncWindow> windows = new ArrayList<>();
    fields
        .node("syncWindows")
        .ifPresent(
            w -> {
              if (w instanceof SequenceNode list) {
                list.getValue()
                    .forEach(window -> readWindow(window, problems).ifPresent(windows::add));
              } else {
                problems.add(w.getStartMark(), "syncWindows must be a list");
              }
            });
    List<String> applications = fields.strings("applications");
    Optional<String> after = fields.string("after");
    fields.finish(Set.of("name", "accept", "promotion", "after", "applications", "syncWindows"));
    return Optional.of(
        new Environment(
            name.get(),
            problems.at(node.getStartMark()),
            accept,
            promotion,
            after,
            applications,
            windows));
  }

  private Optional<AcceptRule> readRule(Node node, Problems problems) {
    Fields fields = Fields.of(node, "an accept rule", problems);
    if (fields == null) {
      return Optional.empty();
    }
    Optional<String> tags = fields.string("tags");
    Optional<String> branches = fields.string("branches");
    if (tags.isPresent() == branches.isPresent()) {
      problems.add(
          node.getStartMark(),
          "an accept rule names either tags: or branches: (a glob such as \"v*\"), not "
              + (tags.isPresent() ? "both" : "neither"));
      return Optional.empty();
    }
    String glob = tags.orElseGet(branches::get);
    boolean semver = fields.bool("semver").orElse(false);
    boolean prerelease = fields.bool("prerelease").orElse(true);
    if (branches.isPresent() && (semver || !prerelease)) {
      problems.add(node.getStartMark(), "semver and prerelease apply to tags, not branches");
    }
    fields.finish(Set.of("tags", "branches", "semver", "prerelease"));
    TagPattern pattern;
    try {
      pattern = TagPattern.of(glob);
    } catch (TagflowException e) {
      problems.add(fields.mark(tags.isPresent() ? "tags" : "branches"), e.getMessage());
      return Optional.empty();
    }
    return Optional.of(
        new AcceptRule(
            problems.at(node.getStartMark()), branches.isPresent(), pattern, semver, prerelease));
  }

  private Environment.Promotion readPromotion(
      Fields fields, Node environment, String name, Problems problems) {
    Optional<Node> node = fields.node("promotion");
    if (node.isEmpty()) {
      problems.add(
          environment.getStartMark(),
          "environment "
              + name
              + " needs promotion: auto, or promotion: {approval: {required: 1, roles: [...]}}");
      return new Environment.Automatic();
    }
    if (node.get() instanceof ScalarNode scalar && scalar.getValue().equals("auto")) {
      return new Environment.Automatic();
    }
    Fields promotion =
        node.get() instanceof MappingNode ? Fields.of(node.get(), "promotion", problems) : null;
    Optional<Node> approval = promotion == null ? Optional.empty() : promotion.node("approval");
    if (approval.isEmpty()) {
      problems.add(
          node.get().getStartMark(),
          "promotion is auto, or {approval: {required: N, roles: [...]}}");
      return new Environment.Automatic();
    }
    promotion.finish(Set.of("approval"));
    Fields fieldsOfApproval = Fields.of(approval.get(), "approval", problems);
    if (fieldsOfApproval == null) {
      return new Environment.Automatic();
    }
    Optional<Long> required = fieldsOfApproval.integer("required");
    if (required.isEmpty() || required.get() < 1 || required.get() > MAX_APPROVALS) {
      problems.add(
          fieldsOfApproval.mark("required"),
          "approval.required must be a number of approvers from 1 to " + MAX_APPROVALS);
    }
    List<String> roles = fieldsOfApproval.strings("roles");
    fieldsOfApproval.finish(Set.of("required", "roles"));
    return new Environment.Approval(required.orElse(1L).intValue(), roles);
  }

  private Optional<Environment.SyncWindow> readWindow(Node node, Problems problems) {
    Fields fields = Fields.of(node, "a sync window", problems);
    if (fields == null) {
      return Optional.empty();
    }
    Optional<String> kindText = fields.string("kind");
    Optional<Environment.SyncWindow.Kind> kind =
        kindText.flatMap(
            k ->
                switch (k) {
                  case "allow" -> Optional.of(Environment.SyncWindow.Kind.ALLOW);
                  case "deny" -> Optional.of(Environment.SyncWindow.Kind.DENY);
                  default -> Optional.empty();
                });
    if (kind.isEmpty()) {
      problems.add(
          fields.mark("kind"),
          "a sync window's kind is allow or deny: write kind: deny (no sync while it is open) or"
              + " kind: allow (syncs only while one is open)"
              + kindText.map(k -> ", not '" + k + "'").orElse(""));
    }
    Optional<String> schedule = fields.string("schedule");
    Optional<String> cronProblem =
        schedule
            .map(dev.tagflow.schedule.CronSchedule::problem)
            .orElse(Optional.of("schedule is missing"));
    cronProblem.ifPresent(
        p ->
            problems.add(
                fields.mark("schedule"),
                p + " (write five cron fields: minute hour day-of-month month weekday)"));
    Optional<String> durationText = fields.string("duration");
    Optional<Duration> duration = durationText.flatMap(GoDuration::parse);
    if (duration.isEmpty() || duration.get().isZero() || duration.get().isNegative()) {
      problems.add(
          fields.mark("duration"),
          "duration must be a positive duration such as 1h30m or 45m"
              + durationText.map(d -> ", not '" + d + "'").orElse(" (it is missing)"));
    }
    ZoneId zone = ZoneId.of("UTC");
    Optional<String> timeZone = fields.string("timeZone");
    if (timeZone.isPresent()) {
      try {
        zone = ZoneId.of(timeZone.get());
      } catch (DateTimeException e) {
        problems.add(
            fields.mark("timeZone"),
            "'" + timeZone.get() + "' is not a time zone; write one such as Europe/Berlin or UTC");
      }
    }
    boolean manual = fields.bool("manualSync").orElse(false);
    fields.finish(Set.of("kind", "schedule", "duration", "timeZone", "manualSync"));
    if (kind.isEmpty() || cronProblem.isPresent() || duration.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Environment.SyncWindow(kind.get(), schedule.get(), duration.get(), zone, manual));
  }

  /** {@code after:} names an earlier environment, one with applications whose health is known. */
  private static void checkOrder(List<Environment> environments, Problems problems) {
    Map<String, Integer> position = new LinkedHashMap<>();
    for (int i = 0; i < environments.size(); i++) {
      position.putIfAbsent(environments.get(i).name(), i);
    }
    for (int i = 0; i < environments.size(); i++) {
      Environment environment = environments.get(i);
      if (environment.after().isEmpty()) {
        continue;
      }
      String after = environment.after().get();
      Integer earlier = position.get(after);
      if (earlier == null || earlier >= i) {
        problems.addAt(
            environment.where(),
            environment.name()
                + " is after '"
                + after
                + "', which is not an environment listed before it; list environments in the"
                + " order a release goes through them");
      } else if (environments.get(earlier).applications().isEmpty()) {
        problems.addAt(
            environments.get(earlier).where(),
            after
                + " must name its applications (applications: [...]): "
                + environment.name()
                + " takes a release only after they were Healthy with it");
      }
    }
  }

  // --- reading nodes ---

  /** Problems with their places, reported together. */
  private static final class Problems {
    private final String file;
    private final List<String> messages = new ArrayList<>();

    Problems(String file) {
      this.file = file;
    }

    String at(Mark mark) {
      return SourceTree.at(file, mark);
    }

    void add(Mark mark, String message) {
      messages.add(at(mark) + ": " + message);
    }

    void addAt(String where, String message) {
      messages.add(where + ": " + message);
    }

    void throwIfAny() {
      if (!messages.isEmpty()) {
        throw TagflowException.invalidInput(
            file
                + " has "
                + (messages.size() == 1 ? "a mistake" : messages.size() + " mistakes")
                + ", and no promotion or sync uses it until it is fixed:\n  "
                + String.join("\n  ", messages));
      }
    }
  }

  /** The keys of one mapping, read once each; unknown keys are mistakes. */
  private static final class Fields {
    private final Node node;
    private final Problems problems;
    private final Map<String, NodeTuple> tuples = new LinkedHashMap<>();

    private Fields(MappingNode node, Problems problems) {
      this.node = node;
      this.problems = problems;
      for (NodeTuple tuple : node.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key) {
          if (tuples.putIfAbsent(key.getValue(), tuple) != null) {
            problems.add(key.getStartMark(), key.getValue() + " is written twice");
          }
        } else {
          problems.add(tuple.getKeyNode().getStartMark(), "keys are names, not lists or mappings");
        }
      }
    }

    static Fields of(Node node, String what, Problems problems) {
      if (node instanceof MappingNode mapping) {
        return new Fields(mapping, problems);
      }
      problems.add(node.getStartMark(), what + " must be a mapping (key: value)");
      return null;
    }

    Optional<Node> node(String key) {
      return Optional.ofNullable(tuples.get(key)).map(NodeTuple::getValueNode);
    }

    Mark mark(String key) {
      return node(key).map(Node::getStartMark).orElse(node.getStartMark());
    }

    Optional<String> string(String key) {
      Optional<Node> value = node(key);
      if (value.isPresent() && !(value.get() instanceof ScalarNode)) {
        problems.add(value.get().getStartMark(), key + " must be a single value");
        return Optional.empty();
      }
      return value.map(v -> ((ScalarNode) v).getValue()).filter(v -> !v.isEmpty());
    }

    void require(String key, String expected) {
      Optional<String> value = string(key);
      if (value.isEmpty() || !value.get().equals(expected)) {
        problems.add(
            mark(key),
            key
                + (value.isEmpty() ? " is missing" : " is '" + value.get() + "'")
                + "; write "
                + key
                + ": "
                + expected);
      }
    }

    Optional<Boolean> bool(String key) {
      Optional<Node> value = node(key);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      if (value.get() instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
        return Optional.of(Boolean.parseBoolean(s.getValue().toLowerCase()));
      }
      problems.add(value.get().getStartMark(), key + " must be true or false");
      return Optional.empty();
    }

    Optional<Long> integer(String key) {
      Optional<Node> value = node(key);
      if (value.isPresent()
          && value.get() instanceof ScalarNode s
          && s.getTag().equals(Tag.INT)
          && s.getValue().matches("[0-9]{1,9}")) {
        return Optional.of(Long.parseLong(s.getValue()));
      }
      return Optional.empty();
    }

    List<String> strings(String key) {
      Optional<Node> value = node(key);
      if (value.isEmpty()) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      if (value.get() instanceof SequenceNode list) {
        for (Node item : list.getValue()) {
          if (item instanceof ScalarNode s && !s.getValue().isEmpty()) {
            out.add(s.getValue());
          } else {
            problems.add(item.getStartMark(), key + " lists names, one per item");
          }
        }
      } else {
        problems.add(value.get().getStartMark(), key + " must be a list, such as [a, b]");
      }
      return out;
    }

    void finish(Set<String> allowed) {
      for (Map.Entry<String, NodeTuple> entry : tuples.entrySet()) {
        if (!allowed.contains(entry.getKey())) {
          problems.add(
              entry.getValue().getKeyNode().getStartMark(),
              "unknown field "
                  + entry.getKey()
                  + "; the fields here are "
                  + String.join(", ", allowed.stream().sorted().toList()));
        }
      }
    }
  }
}
