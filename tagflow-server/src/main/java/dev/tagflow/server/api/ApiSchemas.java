package dev.tagflow.server.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON Schemas (OpenAPI 3.1) of the bodies the application routes take and answer. */
final class ApiSchemas {

  private ApiSchemas() {}

  static final Map<String, Object> STRING = Map.of("type", "string");
  static final Map<String, Object> BOOLEAN = Map.of("type", "boolean");
  static final Map<String, Object> INTEGER = Map.of("type", "integer");

  static final Map<String, Object> SUMMARY =
      object(
          props(
              "name", STRING,
              "project", STRING,
              "environment", STRING,
              "destination", object(props("cluster", STRING, "namespace", STRING)),
              "source", object(props("repoURL", STRING, "targetRevision", STRING, "path", STRING)),
              "sync", Map.of("enum", List.of("Synced", "OutOfSync", "Unknown")),
              "revision", STRING,
              "health", STRING,
              "deployedRevision", STRING,
              "reconciledAt", Map.of("type", "string", "format", "date-time")),
          "name",
          "project",
          "environment",
          "sync",
          "health");

  static final Map<String, Object> APPLICATION_LIST =
      object(
          props(
              "items", array(SUMMARY),
              "next", Map.of("type", List.of("string", "null"))),
          "items",
          "next");

  /** Whether the sync windows let syncs start now, and when that changes. */
  static final Map<String, Object> SYNC_WINDOWS =
      object(
          props(
              "automated", Map.of("enum", List.of("open", "closed")),
              "manual", Map.of("enum", List.of("open", "closed")),
              "reason", STRING,
              "opensAt", Map.of("type", "string", "format", "date-time"),
              "closesAt", Map.of("type", "string", "format", "date-time"),
              "windows",
                  array(
                      object(
                          props(
                              "kind", Map.of("enum", List.of("allow", "deny")),
                              "schedule", STRING,
                              "duration", STRING,
                              "timeZone", STRING,
                              "manualSync", BOOLEAN),
                          "kind",
                          "schedule",
                          "duration",
                          "timeZone",
                          "manualSync"))),
          "automated",
          "manual",
          "windows");

  static final Map<String, Object> APPLICATION =
      object(
          props(
              "name", STRING,
              "project", STRING,
              "environment", STRING,
              "sync", STRING,
              "health", STRING,
              "healthMessage", STRING,
              "operation",
                  object(
                      props(
                          "historyId", INTEGER,
                          "trigger", STRING,
                          "revision", STRING,
                          "phase", STRING,
                          "step", STRING,
                          "message", STRING)),
              "conditions",
                  array(object(props("severity", STRING, "reason", STRING, "message", STRING))),
              "automation",
                  object(props("automated", BOOLEAN, "selfHeal", BOOLEAN, "disabled", STRING)),
              "syncWindows", SYNC_WINDOWS,
              "objects", INTEGER),
          "name",
          "sync",
          "health");

  static final Map<String, Object> TREE =
      object(
          props(
              "name",
              STRING,
              "objects",
              array(
                  object(
                      props(
                          "apiVersion", STRING,
                          "kind", STRING,
                          "namespace", STRING,
                          "name", STRING,
                          "sync", STRING,
                          "health", STRING,
                          "healthMessage", STRING,
                          "message", STRING,
                          "drift", array(object(props("path", STRING, "managers", array(STRING))))),
                      "kind",
                      "name",
                      "sync"))),
          "name",
          "objects");

  static final Map<String, Object> DIFF =
      object(
          props(
              "name", STRING,
              "revision", STRING,
              "requestedRef", STRING,
              "differs", BOOLEAN,
              "objects",
                  array(
                      object(
                          props(
                              "apiVersion", STRING,
                              "kind", STRING,
                              "namespace", STRING,
                              "name", STRING,
                              "state",
                                  Map.of(
                                      "enum",
                                      List.of(
                                          "InSync", "OutOfSync", "Missing", "Extra", "Unknown")),
                              "diff", STRING,
                              "fields",
                                  array(object(props("path", STRING, "managers", array(STRING)))),
                              "desired", STRING,
                              "reason", STRING),
                          "kind",
                          "name",
                          "state"))),
          "name",
          "differs",
          "objects");

  static final Map<String, Object> HISTORY =
      object(
          props(
              "items",
              array(
                  object(
                      props(
                          "id", INTEGER,
                          "revision", STRING,
                          "requestedRef", STRING,
                          "trigger", STRING,
                          "result", STRING,
                          "message", STRING,
                          "startedAt", STRING),
                      "id",
                      "revision",
                      "result"))),
          "items");

  static final Map<String, Object> EVENTS =
      object(
          props(
              "items",
              array(
                  object(
                      props("time", STRING, "type", STRING, "reason", STRING, "message", STRING)))),
          "items");

  static final Map<String, Object> ACCEPTED =
      object(
          props(
              "application", STRING,
              "operation", Map.of("enum", List.of("refresh", "sync", "rollback")),
              "options", Map.of("type", "object"),
              "acceptedAt", STRING,
              "status", STRING),
          "application",
          "operation");

  static final Map<String, Object> SYNC_REQUEST =
      closed(props("prune", BOOLEAN, "confirmPrune", BOOLEAN));

  static final Map<String, Object> REFRESH_REQUEST = closed(props("hard", BOOLEAN));

  static final Map<String, Object> ROLLBACK_REQUEST =
      closed(props("id", Map.of("type", "integer", "minimum", 1)), "id");

  static final Map<String, Object> ERROR =
      object(
          props("error", STRING, "message", STRING, "field", STRING, "fix", STRING),
          "error",
          "message");

  static Map<String, Object> object(Map<String, Object> properties, String... required) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    if (required.length > 0) {
      schema.put("required", List.of(required));
    }
    return schema;
  }

  /** An object that refuses fields it does not name, as the request bodies do. */
  static Map<String, Object> closed(Map<String, Object> properties, String... required) {
    Map<String, Object> schema = object(properties, required);
    schema.put("additionalProperties", false);
    return schema;
  }

  static Map<String, Object> array(Map<String, Object> items) {
    return Map.of("type", "array", "items", items);
  }

  /** Properties in the order given: name, schema, name, schema, … */
  static Map<String, Object> props(Object... pairs) {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      properties.put((String) pairs[i], pairs[i + 1]);
    }
    return properties;
  }
}
