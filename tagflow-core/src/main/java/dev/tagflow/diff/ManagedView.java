package dev.tagflow.diff;

import dev.tagflow.cluster.ObjectRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one judge of whether an object is in sync: the live object and the server's dry-run of Git's
 * object, each trimmed to the fields the {@code tagflow} manager owns in either (so a field Git
 * dropped shows as removed), with server-set metadata and status left out, ignore rules applied,
 * and Secret values masked.
 *
 * <p>What Tagflow owns counts too (the habit of counting our own managedFields entry as drift): a
 * field Git dropped that another manager also sets keeps its value but would no longer be ours, and
 * a field someone else set to Git's value would become ours; applying changes the object's
 * managedFields in both cases, so both are differences. Ownership is compared as values, each side
 * trimmed to what Tagflow owns on that side, with the same ignore rules, so a field an ignored
 * manager (an autoscaler's {@code /spec/replicas}) took from Tagflow is no difference.
 */
final class ManagedView {

  private final SecretMask secretMask = new SecretMask();

  /**
   * The two views, whether they are equal, and the fields that differ with their owners (decided
   * before masking).
   */
  record Views(
      Map<String, Object> live,
      Map<String, Object> desired,
      boolean equal,
      List<FieldDrift> fields) {}

  Views compare(
      ObjectRef ref,
      Map<String, Object> live,
      Map<String, Object> dryRun,
      String fieldManager,
      List<IgnoreRule> rules) {
    FieldSet ownedLive = ownedBy(live, fieldManager);
    FieldSet ownedDryRun = ownedBy(dryRun, fieldManager);
    FieldSet managed = FieldSet.union(List.of(ownedDryRun, ownedLive));
    Map<String, Object> liveView = ignored(ref, live, rules, view(managed, live));
    Map<String, Object> desiredView = ignored(ref, live, rules, view(managed, dryRun));
    Map<String, Object> liveOwned = ignored(ref, live, rules, view(ownedLive, live));
    Map<String, Object> desiredOwned = ignored(ref, live, rules, view(ownedDryRun, dryRun));
    boolean sameValues = Objects.equals(liveView, desiredView);
    boolean sameOwnership = Objects.equals(liveOwned, desiredOwned);
    if (sameValues && !sameOwnership) {
      // No value changes, only what Tagflow owns: show that, or the diff would be empty.
      liveView = liveOwned;
      desiredView = desiredOwned;
    }
    boolean equal = sameValues && sameOwnership;
    List<FieldDrift> fields =
        equal ? List.of() : DriftFields.between(liveView, desiredView, live, fieldManager);
    if (SecretMask.isSecret(live) || SecretMask.isSecret(dryRun)) {
      secretMask.mask(liveView, desiredView);
    }
    return new Views(liveView, desiredView, equal, fields);
  }

  /** The view without what the rules for this object ignore (changed in place). */
  private static Map<String, Object> ignored(
      ObjectRef ref, Map<String, Object> live, List<IgnoreRule> rules, Map<String, Object> view) {
    for (IgnoreRule rule : rules) {
      if (!rule.matches(ref)) {
        continue;
      }
      for (JsonPointer pointer : rule.jsonPointers()) {
        pointer.removeFrom(view);
      }
      for (String manager : rule.managedFieldsManagers()) {
        ownedBy(live, manager).removeFrom(view);
      }
    }
    return view;
  }

  /** The fields a manager owns in an object, over all its managedFields entries. */
  @SuppressWarnings("unchecked")
  static FieldSet ownedBy(Map<String, Object> object, String manager) {
    List<FieldSet> sets = new ArrayList<>();
    if (object.get("metadata") instanceof Map<?, ?> metadata
        && metadata.get("managedFields") instanceof List<?> entries) {
      for (Object entry : entries) {
        if (entry instanceof Map<?, ?> field
            && manager.equals(field.get("manager"))
            && (field.get("subresource") == null || "".equals(field.get("subresource")))
            && field.get("fieldsV1") instanceof Map<?, ?> fields) {
          sets.add(FieldSet.of((Map<String, Object>) fields));
        }
      }
    }
    return FieldSet.union(sets);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> view(FieldSet managed, Map<String, Object> object) {
    Map<String, Object> trimmed = managed.trim(object);
    ServerFields.stripFrom(trimmed);
    Map<String, Object> metadata =
        trimmed.get("metadata") instanceof Map<?, ?> m
            ? (Map<String, Object>) m
            : new LinkedHashMap<>();
    // Identity first, so a person reading the diff sees which object it is.
    Map<String, Object> source = (Map<String, Object>) object.getOrDefault("metadata", Map.of());
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("name", source.get("name"));
    if (source.get("namespace") != null) {
      identity.put("namespace", source.get("namespace"));
    }
    identity.putAll(metadata);
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("apiVersion", object.get("apiVersion"));
    view.put("kind", object.get("kind"));
    view.put("metadata", identity);
    trimmed.forEach(
        (key, value) -> {
          if (!key.equals("metadata") && !key.equals("apiVersion") && !key.equals("kind")) {
            view.put(key, value);
          }
        });
    return view;
  }
}
