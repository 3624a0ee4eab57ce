package dev.tagflow.server.api;

import dev.tagflow.app.Application;
import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.FieldDrift;
import dev.tagflow.diff.ResourceDiff;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.reconcile.SyncReport;
import dev.tagflow.schedule.SyncWindows;
import dev.tagflow.schedule.WindowVerdict;
import dev.tagflow.server.rbac.ApplicationEnvironment;
import dev.tagflow.store.Event;
import dev.tagflow.store.HistoryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the application routes, written field by field so the API changes only on
 * purpose (as Argo CD's: a summary per list item, spec and status for one application).
 *
 * @param application the registered application
 * @param status what the controller knows of it
 */
public record ApplicationView(Application application, ApplicationStatus status) {

  public String name() {
    return application.name();
  }

  public String project() {
    return application.project();
  }

  /** The application's environment, by {@link ApplicationEnvironment}'s rule. */
  public String environment() {
    return ApplicationEnvironment.of(application);
  }

  /** One item of the list: where it comes from and goes, sync and health. */
  public Map<String, Object> summary() {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("name", name());
    item.put("project", project());
    item.put("environment", environment());
    Map<String, Object> destination = new LinkedHashMap<>();
    destination.put("cluster", application.destination().cluster());
    destination.put("namespace", application.destination().namespace());
    item.put("destination", destination);
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("repoURL", application.source().repoURL());
    source.put("targetRevision", application.source().targetRevision());
    source.put("path", application.source().path());
    item.put("source", source);
    item.put("sync", status.sync().status().displayName());
    status.sync().revision().ifPresent(r -> item.put("revision", r.commit()));
    item.put("health", status.health().health().displayName());
    status.deployed().ifPresent(d -> item.put("deployedRevision", d.revision().commit()));
    status.reconciledAt().ifPresent(t -> item.put("reconciledAt", t.toString()));
    return item;
  }

  /** One application: the summary, its health message, operation, conditions and automation. */
  public Map<String, Object> detail() {
    Map<String, Object> item = summary();
    item.put("healthMessage", status.health().message());
    status.operation().ifPresent(o -> item.put("operation", operation(o)));
    item.put(
        "conditions",
        status.conditions().stream()
            .map(
                c -> {
                  Map<String, Object> condition = new LinkedHashMap<>();
                  condition.put("severity", c.severity().name());
                  condition.put("reason", c.reason());
                  condition.put("message", c.message());
                  condition.put("since", c.since().toString());
                  return condition;
                })
            .toList());
    Map<String, Object> automation = new LinkedHashMap<>();
    automation.put("automated", status.automation().automated());
    automation.put("selfHeal", status.automation().selfHeal());
    status.automation().disabled().ifPresent(d -> automation.put("disabled", d.reason()));
    item.put("automation", automation);
    item.put("objects", status.objects().size());
    return item;
  }

  /**
   * Whether the application's sync windows (its project's and its environment's) let an automated
   * sync and a person's start at {@code now}; when closed, why and when automated syncs may start
   * again ({@code opensAt}); when open under windows, when they close next ({@code closesAt}).
   */
  public static Map<String, Object> syncWindows(SyncWindows windows, Instant now) {
    Map<String, Object> item = new LinkedHashMap<>();
    WindowVerdict automated = windows.verdict(now, false);
    WindowVerdict manual = windows.verdict(now, true);
    item.put("automated", automated instanceof WindowVerdict.Open ? "open" : "closed");
    item.put("manual", manual instanceof WindowVerdict.Open ? "open" : "closed");
    if (automated instanceof WindowVerdict.Closed closed) {
      item.put("reason", closed.message());
      closed.opensAt().ifPresent(t -> item.put("opensAt", t.toString()));
    } else {
      windows.nextClosed(now).ifPresent(t -> item.put("closesAt", t.toString()));
    }
    item.put(
        "windows",
        windows.windows().stream()
            .map(
                w -> {
                  Map<String, Object> window = new LinkedHashMap<>();
                  window.put("kind", w.kind().word());
                  window.put("schedule", w.schedule().expression());
                  window.put("duration", w.duration().toString());
                  window.put("timeZone", w.timeZone().getId());
                  window.put("manualSync", w.manualSync());
                  return window;
                })
            .toList());
    return item;
  }

  /** The objects, each with its sync, health, message and drifted fields. */
  public Map<String, Object> tree() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("name", name());
    tree.put("objects", status.objects().stream().map(ApplicationView::object).toList());
    return tree;
  }

  /** A sync's operation, running or last. */
  public static Map<String, Object> operation(ApplicationStatus.Operation o) {
    Map<String, Object> operation = new LinkedHashMap<>();
    operation.put("historyId", o.historyId());
    operation.put("trigger", o.trigger().name());
    operation.put("revision", o.revision().commit());
    operation.put("phase", o.phase().name());
    operation.put("step", o.step());
    operation.put("message", o.message());
    operation.put("startedAt", o.startedAt().toString());
    o.finishedAt().ifPresent(t -> operation.put("finishedAt", t.toString()));
    return operation;
  }

  private static Map<String, Object> object(ApplicationStatus.ObjectStatus o) {
    Map<String, Object> object = ref(o.object());
    object.put("sync", o.sync().displayName());
    o.health()
        .ifPresent(
            h -> {
              object.put("health", h.health().displayName());
              object.put("healthMessage", h.message());
            });
    object.put("message", o.message());
    object.put("drift", o.drift().stream().map(ApplicationView::drift).toList());
    return object;
  }

  /**
   * A comparison made now: the revision and, per object, its state ({@code InSync}, {@code
   * OutOfSync}, {@code Missing}, {@code Extra}, {@code Unknown}) with the unified diff and changed
   * fields, the object to create, or why it could not be compared. The differ masked every Secret
   * value before any of these texts was made.
   */
  public static Map<String, Object> diff(String name, SyncReport report) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("name", name);
    report.revision().ifPresent(r -> answer.put("revision", r.commit()));
    report.revision().ifPresent(r -> answer.put("requestedRef", r.requested()));
    List<Map<String, Object>> objects = new ArrayList<>();
    boolean differs = false;
    for (ResourceDiff diff : report.diffs()) {
      Map<String, Object> object = ref(diff.object());
      object.put("state", diff.getClass().getSimpleName());
      switch (diff) {
        case ResourceDiff.InSync inSync -> {}
        case ResourceDiff.OutOfSync out -> {
          object.put("diff", out.unifiedDiff());
          object.put("fields", out.fields().stream().map(ApplicationView::drift).toList());
        }
        case ResourceDiff.Missing missing -> object.put("desired", missing.desiredYaml());
        case ResourceDiff.Extra extra -> {}
        case ResourceDiff.Unknown unknown -> object.put("reason", unknown.reason());
      }
      differs |= diff.needsSync();
      objects.add(object);
    }
    answer.put("differs", differs);
    answer.put("objects", objects);
    return answer;
  }

  private static Map<String, Object> drift(FieldDrift drift) {
    Map<String, Object> field = new LinkedHashMap<>();
    field.put("path", drift.path());
    field.put("managers", drift.managers());
    return field;
  }

  private static Map<String, Object> ref(ObjectRef ref) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", ref.apiVersion());
    object.put("kind", ref.kind());
    if (ref.namespace() != null && !ref.namespace().isEmpty()) {
      object.put("namespace", ref.namespace());
    }
    object.put("name", ref.name());
    return object;
  }

  /** One recorded sync. */
  public static Map<String, Object> history(HistoryEntry entry) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("id", entry.id());
    item.put("revision", entry.sync().commit());
    item.put("requestedRef", entry.sync().requestedRef());
    entry.sync().releaseId().ifPresent(r -> item.put("release", r));
    item.put("trigger", entry.sync().trigger().name());
    item.put("result", entry.sync().result().name());
    entry.sync().healthAfter().ifPresent(h -> item.put("healthAfter", h));
    item.put("message", entry.sync().message());
    item.put("startedAt", entry.sync().startedAt().toString());
    entry.sync().finishedAt().ifPresent(t -> item.put("finishedAt", t.toString()));
    return item;
  }

  /** One event. */
  public static Map<String, Object> event(Event event) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("time", event.time().toString());
    item.put("type", event.type().name());
    item.put("reason", event.reason());
    item.put("message", event.message());
    return item;
  }
}
