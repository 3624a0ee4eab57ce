package dev.tagflow.reconcile;

import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.FieldDrift;
import dev.tagflow.health.Health;
import dev.tagflow.health.HealthStatus;
import dev.tagflow.reconcile.ApplicationStatus.Automation;
import dev.tagflow.reconcile.ApplicationStatus.BlockedRevision;
import dev.tagflow.reconcile.ApplicationStatus.Condition;
import dev.tagflow.reconcile.ApplicationStatus.Deployed;
import dev.tagflow.reconcile.ApplicationStatus.Disabled;
import dev.tagflow.reconcile.ApplicationStatus.GitRevision;
import dev.tagflow.reconcile.ApplicationStatus.ObjectStatus;
import dev.tagflow.reconcile.ApplicationStatus.ObjectSync;
import dev.tagflow.reconcile.ApplicationStatus.Operation;
import dev.tagflow.reconcile.ApplicationStatus.Severity;
import dev.tagflow.reconcile.ApplicationStatus.Sync;
import dev.tagflow.reconcile.ApplicationStatus.SyncCode;
import dev.tagflow.store.SyncTrigger;
import dev.tagflow.sync.SyncStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * The JSON of an {@link ApplicationStatus} as the store keeps it (format {@value #FORMAT}), and of
 * a {@link ChangeSet} as history keeps it. Written by hand, field by field, so that the stored
 * shape changes only on purpose: a later Tagflow reads what this one wrote.
 */
final class StatusJson {

  /** The version of the status document's shape. */
  static final int FORMAT = 1;

  String write(ApplicationStatus status) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("application", status.application());
    Map<String, Object> sync = new LinkedHashMap<>();
    sync.put("status", status.sync().status().name());
    status.sync().revision().ifPresent(r -> sync.put("revision", revision(r)));
    root.put("sync", sync);
    status
        .deployed()
        .ifPresent(
            d -> {
              Map<String, Object> deployed = new LinkedHashMap<>();
              deployed.put("revision", revision(d.revision()));
              deployed.put("renderKey", d.renderKey());
              d.historyId().ifPresent(id -> deployed.put("historyId", id));
              deployed.put("at", d.at().toEpochMilli());
              root.put("deployed", deployed);
            });
    root.put("health", health(status.health()));
    status.operation().ifPresent(o -> root.put("operation", operation(o)));
    root.put("conditions", status.conditions().stream().map(StatusJson::condition).toList());
    root.put("objects", status.objects().stream().map(StatusJson::object).toList());
    root.put("automation", automation(status.automation()));
    status.reconciledAt().ifPresent(t -> root.put("reconciledAt", t.toEpochMilli()));
    return text(root);
  }

  ApplicationStatus read(String text) {
    Map<String, Object> root = map(text);
    Map<String, Object> sync = child(root, "sync");
    return new ApplicationStatus(
        string(root, "application"),
        new Sync(
            SyncCode.valueOf(string(sync, "status")),
            optionalChild(sync, "revision").map(StatusJson::readRevision)),
        optionalChild(root, "deployed")
            .map(
                d ->
                    new Deployed(
                        readRevision(child(d, "revision")),
                        string(d, "renderKey"),
                        Optional.ofNullable(d.get("historyId")).map(v -> ((Number) v).longValue()),
                        instant(d, "at"))),
        readHealth(child(root, "health")),
        optionalChild(root, "operation").map(this::readOperation),
        list(root, "conditions").stream().map(StatusJson::readCondition).toList(),
        list(root, "objects").stream().map(StatusJson::readObject).toList(),
        readAutomation(child(root, "automation")),
        Optional.ofNullable(root.get("reconciledAt"))
            .map(v -> Instant.ofEpochMilli(((Number) v).longValue())));
  }

  /** A change set as history keeps it: one object per entry. */
  String write(ChangeSet changes) {
    return text(changes.entries().stream().map(StatusJson::entry).toList());
  }

  ChangeSet readChangeSet(String text) {
    try {
      List<?> entries = PlainJson.MAPPER.readValue(text, List.class);
      return new ChangeSet(entries.stream().map(e -> readEntry(cast(e))).toList());
    } catch (JacksonException e) {
      throw TagflowException.failed("a stored change set is not JSON: " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> revision(GitRevision revision) {
    return Map.of("requested", revision.requested(), "commit", revision.commit());
  }

  private static GitRevision readRevision(Map<String, Object> map) {
    return new GitRevision(string(map, "requested"), string(map, "commit"));
  }

  private static Map<String, Object> health(HealthStatus health) {
    return Map.of("status", health.health().displayName(), "message", health.message());
  }

  private static HealthStatus readHealth(Map<String, Object> map) {
    return new HealthStatus(
        Health.parse(string(map, "status")).orElse(Health.UNKNOWN), string(map, "message"));
  }

  private Map<String, Object> operation(Operation operation) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("historyId", operation.historyId());
    map.put("trigger", operation.trigger().name());
    map.put("revision", revision(operation.revision()));
    map.put("phase", operation.phase().name());
    map.put("step", operation.step());
    map.put("message", operation.message());
    map.put("changes", operation.changes().entries().stream().map(StatusJson::entry).toList());
    map.put("startedAt", operation.startedAt().toEpochMilli());
    operation.finishedAt().ifPresent(t -> map.put("finishedAt", t.toEpochMilli()));
    return map;
  }

  private Operation readOperation(Map<String, Object> map) {
    return new Operation(
        ((Number) map.get("historyId")).longValue(),
        SyncTrigger.valueOf(string(map, "trigger")),
        readRevision(child(map, "revision")),
        SyncStatus.valueOf(string(map, "phase")),
        string(map, "step"),
        string(map, "message"),
        new ChangeSet(list(map, "changes").stream().map(StatusJson::readEntry).toList()),
        instant(map, "startedAt"),
        Optional.ofNullable(map.get("finishedAt"))
            .map(v -> Instant.ofEpochMilli(((Number) v).longValue())));
  }

  private static Map<String, Object> condition(Condition condition) {
    return Map.of(
        "severity", condition.severity().name(),
        "reason", condition.reason(),
        "message", condition.message(),
        "since", condition.since().toEpochMilli());
  }

  private static Condition readCondition(Map<String, Object> map) {
    return new Condition(
        Severity.valueOf(string(map, "severity")),
        string(map, "reason"),
        string(map, "message"),
        instant(map, "since"));
  }

  private static Map<String, Object> object(ObjectStatus object) {
    Map<String, Object> map = new LinkedHashMap<>(ref(object.object()));
    map.put("sync", object.sync().name());
    object.health().ifPresent(h -> map.put("health", health(h)));
    map.put("message", object.message());
    map.put(
        "drift",
        object.drift().stream()
            .map(d -> Map.<String, Object>of("path", d.path(), "managers", d.managers()))
            .toList());
    return map;
  }

  private static ObjectStatus readObject(Map<String, Object> map) {
    List<FieldDrift> drift = new ArrayList<>();
    for (Map<String, Object> field : list(map, "drift")) {
      drift.add(
          new FieldDrift(
              string(field, "path"),
              ((List<?>) field.getOrDefault("managers", List.of()))
                  .stream().map(String::valueOf).toList()));
    }
    return new ObjectStatus(
        readRef(map),
        ObjectSync.valueOf(string(map, "sync")),
        optionalChild(map, "health").map(StatusJson::readHealth),
        string(map, "message"),
        drift);
  }

  private static Map<String, Object> automation(Automation automation) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("automated", automation.automated());
    map.put("selfHeal", automation.selfHeal());
    automation
        .disabled()
        .ifPresent(
            d ->
                map.put(
                    "disabled", Map.of("reason", d.reason(), "since", d.since().toEpochMilli())));
    map.put(
        "blocked",
        automation.blocked().stream()
            .map(
                b ->
                    Map.<String, Object>of(
                        "commit", b.commit(),
                        "reason", b.reason(),
                        "since", b.since().toEpochMilli()))
            .toList());
    return map;
  }

  private static Automation readAutomation(Map<String, Object> map) {
    return new Automation(
        Boolean.TRUE.equals(map.get("automated")),
        Boolean.TRUE.equals(map.get("selfHeal")),
        optionalChild(map, "disabled")
            .map(d -> new Disabled(string(d, "reason"), instant(d, "since"))),
        list(map, "blocked").stream()
            .map(
                b ->
                    new BlockedRevision(
                        string(b, "commit"), string(b, "reason"), instant(b, "since")))
            .toList());
  }

  private static Map<String, Object> entry(ChangeSetEntry entry) {
    Map<String, Object> map = new LinkedHashMap<>(ref(entry.object()));
    map.put("action", entry.action().name());
    map.put("message", entry.message());
    entry.failure().ifPresent(f -> map.put("failure", f.name()));
    return map;
  }

  private static ChangeSetEntry readEntry(Map<String, Object> map) {
    return new ChangeSetEntry(
        readRef(map),
        Action.valueOf(string(map, "action")),
        string(map, "message"),
        Optional.ofNullable((String) map.get("failure")).map(ClusterFailure::valueOf));
  }

  private static Map<String, Object> ref(ObjectRef ref) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("apiVersion", ref.apiVersion());
    map.put("kind", ref.kind());
    map.put("namespace", ref.namespace());
    map.put("name", ref.name());
    return map;
  }

  private static ObjectRef readRef(Map<String, Object> map) {
    return new ObjectRef(
        string(map, "apiVersion"),
        string(map, "kind"),
        string(map, "namespace"),
        string(map, "name"));
  }

  private String text(Object tree) {
    try {
      return PlainJson.MAPPER.writeValueAsString(tree);
    } catch (JacksonException e) {
      throw new IllegalStateException("a status made of maps and lists is JSON", e);
    }
  }

  private Map<String, Object> map(String text) {
    try {
      return cast(PlainJson.MAPPER.readValue(text, Map.class));
    } catch (JacksonException e) {
      throw TagflowException.failed("a stored status is not JSON: " + e.getMessage(), e);
    }
  }

  private static String string(Map<String, Object> map, String key) {
    Object value = map.get(key);
    return value == null ? "" : String.valueOf(value);
  }

  private static Instant instant(Map<String, Object> map, String key) {
    return Instant.ofEpochMilli(((Number) map.get(key)).longValue());
  }

  private static Map<String, Object> child(Map<String, Object> map, String key) {
    return optionalChild(map, key).orElse(Map.of());
  }

  private static Optional<Map<String, Object>> optionalChild(Map<String, Object> map, String key) {
    return map.get(key) instanceof Map<?, ?> child ? Optional.of(cast(child)) : Optional.empty();
  }

  private static List<Map<String, Object>> list(Map<String, Object> map, String key) {
    return map.get(key) instanceof List<?> list
        ? list.stream().map(e -> StatusJson.<Map<String, Object>>cast(e)).toList()
        : List.of();
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object value) {
    return (T) value;
  }
}
