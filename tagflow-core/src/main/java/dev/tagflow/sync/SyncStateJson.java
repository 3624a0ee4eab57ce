package dev.tagflow.sync;

import dev.tagflow.JacksonMessages;
import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ObjectRef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The durable form of a {@link SyncState}: JSON bytes a store keeps as they are, from which a new
 * {@link SyncOperation} (after a restart, in another process) resumes the sync where it stopped.
 *
 * <p>The form is versioned: every document starts with {@code "version": 1}. A document of a later
 * version is refused with a message saying so, never half-read; a change to the form that an older
 * Tagflow would misread must raise the version. A field this version does not know is refused too,
 * so nothing a newer writer meant is silently dropped. Enumerations are written by their constant
 * names ({@code RUNNING}, {@code FAILED}, {@code UNAVAILABLE}), references to objects with all four
 * parts, times in ISO-8601 UTC.
 *
 * <pre>{@code
 * {"version": 1, "application": "shop", "revision": "v1.2.3", "status": "RUNNING",
 *  "prune": [{"object": {"apiVersion": "v1", "kind": "ConfigMap", "namespace": "shop",
 *             "name": "old"}, "wave": 0}],            (null until the prune is decided)
 *  "step": 1, "stepApplied": true, "stepStarted": "2026-11-29T10:15:30Z",
 *  "changes": [{"object": {…}, "action": "FAILED", "message": "…", "failure": "UNAVAILABLE"}],
 *  "generatedNames": {"batch/Job/shop/migrate-": "migrate-x7k2p"},
 *  "failure": null, "message": "wave 1 waits for …"}
 * }</pre>
 */
public final class SyncStateJson {

  /** The version this Tagflow writes, and the latest it reads. */
  public static final int VERSION = 1;

  private static final Set<String> STATE_FIELDS =
      Set.of(
          "version",
          "application",
          "revision",
          "status",
          "prune",
          "step",
          "stepApplied",
          "stepStarted",
          "changes",
          "generatedNames",
          "failure",
          "message");
  private static final Set<String> REF_FIELDS = Set.of("apiVersion", "kind", "namespace", "name");
  private static final Set<String> TARGET_FIELDS = Set.of("object", "wave");
  private static final Set<String> ENTRY_FIELDS = Set.of("object", "action", "message", "failure");

  /** Two spaces and "\n" wherever it runs, so the same state gives the same bytes everywhere. */
  private final ObjectWriter writer =
      PlainJson.MAPPER
          .writer()
          .with(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

  /** The state as UTF-8 JSON, fields in a fixed order, so equal states give equal bytes. */
  public byte[] write(SyncState state) {
    ObjectNode root = PlainJson.MAPPER.createObjectNode();
    root.put("version", VERSION);
    root.put("application", state.application());
    root.put("revision", state.revision());
    root.put("status", state.status().name());
    if (state.prune().isPresent()) {
      ArrayNode prune = root.putArray("prune");
      for (PruneTarget target : state.prune().get()) {
        ObjectNode node = prune.addObject();
        node.set("object", ref(target.object()));
        node.put("wave", target.wave());
      }
    } else {
      root.putNull("prune");
    }
    root.put("step", state.step());
    root.put("stepApplied", state.stepApplied());
    root.put("stepStarted", state.stepStarted().toString());
    ArrayNode changes = root.putArray("changes");
    // An entry's written version is not saved: after a restart the live view is listed anew, newer
    // than any write made before it, so the versions have nothing left to guard.
    for (ChangeSetEntry entry : state.changes().entries()) {
      ObjectNode node = changes.addObject();
      node.set("object", ref(entry.object()));
      node.put("action", entry.action().name());
      node.put("message", entry.message());
      if (entry.failure().isPresent()) {
        node.put("failure", entry.failure().get().name());
      } else {
        node.putNull("failure");
      }
    }
    ObjectNode names = root.putObject("generatedNames");
    new TreeMap<>(state.generatedNames()).forEach(names::put);
    if (state.failure().isPresent()) {
      root.put("failure", state.failure().get());
    } else {
      root.putNull("failure");
    }
    root.put("message", state.message());
    try {
      return (writer.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JacksonException e) {
      throw new IllegalStateException("a tree of strings and numbers could not be written", e);
    }
  }

  /**
   * The state those bytes hold.
   *
   * @throws TagflowException when they are not a saved sync state, or one of a later version
   */
  public SyncState read(byte[] bytes) {
    JsonNode root;
    try {
      root = PlainJson.MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      throw unreadable("it is not JSON (" + JacksonMessages.of(e) + ")");
    }
    if (root == null || !root.isObject()) {
      throw unreadable("it is not a JSON object");
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isInt()) {
      throw unreadable("it has no format version (\"version\": " + VERSION + ")");
    }
    if (version.intValue() > VERSION) {
      throw new TagflowException(
          TagflowException.Reason.FAILED,
          "cannot resume the sync: its saved state is format version "
              + version.intValue()
              + ", written by a newer Tagflow, and this one reads versions up to "
              + VERSION
              + "; run the newer Tagflow, or start the sync anew");
    }
    if (version.intValue() < 1) {
      throw unreadable("its format version " + version.intValue() + " does not exist");
    }
    only(root, STATE_FIELDS, "the state");
    Optional<List<PruneTarget>> prune =
        nullable(root, "prune").map(node -> list(node, "prune", this::pruneTarget));
    Map<String, String> generatedNames = new TreeMap<>();
    JsonNode names = required(root, "generatedNames");
    if (!names.isObject()) {
      throw unreadable("\"generatedNames\" is not an object");
    }
    for (Map.Entry<String, JsonNode> name : names.properties()) {
      generatedNames.put(name.getKey(), string(name.getValue(), "generatedNames." + name.getKey()));
    }
    return new SyncState(
        text(root, "application"),
        text(root, "revision"),
        constant(SyncStatus.class, text(root, "status"), "status"),
        prune,
        integer(root, "step"),
        bool(root, "stepApplied"),
        instant(text(root, "stepStarted")),
        new ChangeSet(list(required(root, "changes"), "changes", this::entry)),
        generatedNames,
        nullable(root, "failure").map(node -> string(node, "failure")),
        text(root, "message"));
  }

  private ObjectNode ref(ObjectRef ref) {
    ObjectNode node = PlainJson.MAPPER.createObjectNode();
    node.put("apiVersion", ref.apiVersion());
    node.put("kind", ref.kind());
    node.put("namespace", ref.namespace());
    node.put("name", ref.name());
    return node;
  }

  private ObjectRef ref(JsonNode node) {
    only(node, REF_FIELDS, "an object reference");
    return new ObjectRef(
        text(node, "apiVersion"), text(node, "kind"), text(node, "namespace"), text(node, "name"));
  }

  private PruneTarget pruneTarget(JsonNode node) {
    only(node, TARGET_FIELDS, "a prune target");
    return new PruneTarget(ref(required(node, "object")), integer(node, "wave"));
  }

  private ChangeSetEntry entry(JsonNode node) {
    only(node, ENTRY_FIELDS, "a change");
    return new ChangeSetEntry(
        ref(required(node, "object")),
        constant(Action.class, text(node, "action"), "action"),
        text(node, "message"),
        nullable(node, "failure")
            .map(f -> constant(ClusterFailure.class, string(f, "failure"), "failure")));
  }

  private static <T> List<T> list(JsonNode node, String field, Function<JsonNode, T> element) {
    if (!node.isArray()) {
      throw unreadable("\"" + field + "\" is not a list");
    }
    List<T> items = new ArrayList<>();
    node.forEach(item -> items.add(element.apply(item)));
    return items;
  }

  private static void only(JsonNode node, Set<String> known, String what) {
    if (!node.isObject()) {
      throw unreadable(what + " is not a JSON object");
    }
    for (Map.Entry<String, JsonNode> property : node.properties()) {
      String field = property.getKey();
      if (!known.contains(field)) {
        throw unreadable(
            what
                + " has a field \""
                + field
                + "\" that format version "
                + VERSION
                + " does not have");
      }
    }
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw unreadable("\"" + field + "\" is missing");
    }
    return value;
  }

  private static Optional<JsonNode> nullable(JsonNode node, String field) {
    JsonNode value = required(node, field);
    return value.isNull() ? Optional.empty() : Optional.of(value);
  }

  private static String text(JsonNode parent, String field) {
    return string(required(parent, field), field);
  }

  private static String string(JsonNode value, String field) {
    if (!value.isString()) {
      throw unreadable("\"" + field + "\" is not a string");
    }
    return value.stringValue();
  }

  private static int integer(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isInt()) {
      throw unreadable("\"" + field + "\" is not a whole number");
    }
    return value.intValue();
  }

  private static boolean bool(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isBoolean()) {
      throw unreadable("\"" + field + "\" is not true or false");
    }
    return value.booleanValue();
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw unreadable("\"stepStarted\" is not an ISO-8601 time: " + text);
    }
  }

  private static <E extends Enum<E>> E constant(Class<E> type, String name, String field) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw unreadable(
          "\"" + field + "\" is " + name + ", which format version " + VERSION + " does not know");
    }
  }

  private static TagflowException unreadable(String why) {
    return new TagflowException(
        TagflowException.Reason.FAILED,
        "cannot resume the sync: its saved state is unreadable: " + why);
  }
}
