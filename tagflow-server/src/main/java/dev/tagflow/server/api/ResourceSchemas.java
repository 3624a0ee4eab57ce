package dev.tagflow.server.api;

import static dev.tagflow.server.api.ApiSchemas.BOOLEAN;
import static dev.tagflow.server.api.ApiSchemas.INTEGER;
import static dev.tagflow.server.api.ApiSchemas.STRING;
import static dev.tagflow.server.api.ApiSchemas.array;
import static dev.tagflow.server.api.ApiSchemas.closed;
import static dev.tagflow.server.api.ApiSchemas.object;
import static dev.tagflow.server.api.ApiSchemas.props;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schemas (OpenAPI 3.1) of the bodies the runs, releases, promotions, repositories,
 * clusters, secrets, tokens and users routes take and answer.
 */
final class ResourceSchemas {

  private ResourceSchemas() {}

  private static final Map<String, Object> NULLABLE_STRING =
      Map.of("type", List.of("string", "null"));
  private static final Map<String, Object> ANY = Map.of();

  static final Map<String, Object> TEXT = Map.of("type", "string");

  static Map<String, Object> items(Map<String, Object> item) {
    return object(props("items", array(item)), "items");
  }

  static final Map<String, Object> RUN_SUMMARY =
      object(
          props(
              "id", STRING,
              "repository", STRING,
              "workflow", STRING,
              "ref", STRING,
              "commit", STRING,
              "event", STRING,
              "status",
                  Map.of(
                      "enum",
                      List.of(
                          "queued",
                          "running",
                          "success",
                          "failure",
                          "cancelled",
                          "interrupted",
                          "refused")),
              "started", STRING,
              "finished", NULLABLE_STRING,
              "logs", STRING),
          "id",
          "repository",
          "status");

  static final Map<String, Object> RUN_LIST = items(RUN_SUMMARY);

  static final Map<String, Object> IMAGE =
      object(
          props(
              "run", STRING,
              "repository", STRING,
              "ref", STRING,
              "commit", STRING,
              "image", STRING,
              "digest", STRING,
              "tags", array(STRING),
              "builtAt", STRING),
          "image",
          "digest");

  static final Map<String, Object> RUN =
      object(
          props(
              "id",
              STRING,
              "repository",
              STRING,
              "status",
              STRING,
              "jobs",
              array(ANY),
              "artifacts",
              array(ANY),
              "refused",
              array(ANY),
              "error",
              NULLABLE_STRING,
              "images",
              array(IMAGE)),
          "id",
          "status",
          "jobs",
          "images");

  static final Map<String, Object> RUN_ACCEPTED =
      object(
          props(
              "run", STRING,
              "operation", Map.of("enum", List.of("dispatch", "rerun", "cancel")),
              "status", STRING),
          "run",
          "operation");

  static final Map<String, Object> DISPATCH_REQUEST =
      closed(
          props(
              "repository", STRING,
              "workflow", STRING,
              "ref", STRING,
              "inputs", Map.of("type", "object", "additionalProperties", STRING)),
          "repository",
          "workflow",
          "ref");

  static final Map<String, Object> RERUN_REQUEST = closed(props("force", BOOLEAN));

  static final Map<String, Object> RELEASE_LIST = items(release());

  /** An image with the applications running it. */
  private static Map<String, Object> release() {
    @SuppressWarnings("unchecked")
    Map<String, Object> properties =
        new LinkedHashMap<>((Map<String, Object>) IMAGE.get("properties"));
    properties.put("runningIn", array(STRING));
    return object(properties, "digest", "runningIn");
  }

  static final Map<String, Object> PROMOTION =
      object(
          props(
              "id", INTEGER,
              "state",
                  Map.of(
                      "enum", List.of("Pending", "Approved", "Rejected", "Merged", "Superseded")),
              "repository", STRING,
              "environment", STRING,
              "release", STRING,
              "version", STRING,
              "author", NULLABLE_STRING,
              "requiredApprovals", INTEGER,
              "roles", array(STRING),
              "approvals",
                  array(
                      object(props("approver", STRING, "role", STRING, "at", STRING), "approver")),
              "message", STRING,
              "mergedCommit", NULLABLE_STRING),
          "id",
          "state",
          "environment",
          "approvals");

  static final Map<String, Object> PROMOTION_LIST = items(PROMOTION);

  static final Map<String, Object> APPROVE_REQUEST = closed(props());

  static final Map<String, Object> REJECT_REQUEST =
      closed(props("reason", Map.of("type", "string", "maxLength", 1000)));

  static final Map<String, Object> REPOSITORY =
      object(
          props(
              "name", STRING,
              "url", STRING,
              "hosted", BOOLEAN,
              "source", Map.of("enum", List.of("api", "followed", "hosted")),
              "username", STRING,
              "passwordSecret", STRING,
              "addedBy", STRING,
              "addedAt", STRING,
              "runs", STRING),
          "name",
          "url",
          "hosted",
          "source");

  static final Map<String, Object> REPOSITORY_REQUEST =
      closed(
          props(
              "url",
                  Map.of(
                      "type",
                      "string",
                      "maxLength",
                      2048,
                      "description",
                      "https:// (or http://) URL without credentials"),
              "username",
                  Map.of("type", "string", "maxLength", 256, "description", "needs passwordSecret"),
              "passwordSecret",
                  Map.of(
                      "type",
                      "string",
                      "description",
                      "kind/scope/NAME of a set secret (project/shop/GIT_TOKEN): a token, or the"
                          + " password with username")),
          "url");

  static final Map<String, Object> REPOSITORY_LIST = items(REPOSITORY);

  static final Map<String, Object> CLUSTER_LIST =
      items(
          object(
              props("name", STRING, "reachable", BOOLEAN, "version", STRING, "error", STRING),
              "name",
              "reachable"));

  static final Map<String, Object> SECRET =
      object(
          props("name", STRING, "project", STRING, "repository", STRING, "updatedAt", STRING),
          "name");

  static final Map<String, Object> SECRET_LIST = items(SECRET);

  static final Map<String, Object> SECRET_REQUEST =
      closed(props("value", Map.of("type", "string", "minLength", 1)), "value");

  static final Map<String, Object> TOKEN =
      object(
          props(
              "id", STRING,
              "name", STRING,
              "owner", STRING,
              "state", Map.of("enum", List.of("active", "expired", "revoked")),
              "createdAt", STRING,
              "expiresAt", NULLABLE_STRING,
              "revokedAt", NULLABLE_STRING),
          "id",
          "name",
          "owner",
          "state");

  static final Map<String, Object> TOKEN_LIST = items(TOKEN);

  static final Map<String, Object> TOKEN_CREATED =
      object(
          props(
              "id", STRING,
              "name", STRING,
              "owner", STRING,
              "state", STRING,
              "expiresAt", NULLABLE_STRING,
              "token", STRING),
          "id",
          "name",
          "token");

  static final Map<String, Object> TOKEN_REQUEST =
      closed(
          props(
              "name", STRING,
              "owner", STRING,
              "expires",
                  Map.of(
                      "type",
                      "string",
                      "description",
                      "30m, 12h, 90d (at most 3650d) or never; 90d when left out")),
          "name",
          "owner");

  static final Map<String, Object> USER =
      object(props("name", STRING, "createdAt", STRING, "updatedAt", STRING), "name");

  static final Map<String, Object> USER_LIST = items(USER);

  static final Map<String, Object> USER_REQUEST =
      closed(
          props("name", STRING, "password", Map.of("type", "string", "minLength", 12)),
          "name",
          "password");

  static final Map<String, Object> PASSWORD_REQUEST =
      closed(props("password", Map.of("type", "string", "minLength", 12)), "password");
}
