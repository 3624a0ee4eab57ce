package dev.tagflow.server.api;

import dev.tagflow.TagflowException;
import dev.tagflow.secret.SecretEntry;
import dev.tagflow.secret.SecretKeyFile;
import dev.tagflow.secret.SecretScope;
import dev.tagflow.secret.Secrets;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.server.rbac.Permission;
import dev.tagflow.store.SecretStore;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's secrets under {@code /api/v1/secrets}: names per scope (a project's or a
 * repository's), set and delete. A value goes in a body and nowhere else: never in an answer, a log
 * line or the audit log (whose object is the path: scope and name).
 */
public final class SecretRoutes {

  private static final Logger log = LoggerFactory.getLogger(SecretRoutes.class);

  public static final String PATH = "/api/v1/secrets";

  private static final Permission GET = Permission.of("secrets/get");

  private final SecretStore store;
  private final Path dataDir;
  private final Authorizer authorizer;
  private Secrets secrets;

  /**
   * @param dataDir where the key that seals the values is ({@link SecretKeyFile})
   */
  public SecretRoutes(SecretStore store, Path dataDir, Authorizer authorizer) {
    this.store = store;
    this.dataDir = dataDir;
    this.authorizer = authorizer;
  }

  public void addTo(RouteTable table, OpenApiDocument docs) {
    String one = PATH + "/{kind}/{scope}/{name}";
    table.get(
        PATH,
        new Access.SignedIn(
            "each secret's name is listed only if the caller has secrets/get on"
                + " kind/scope/name"),
        Handlers.answered(this::list));
    docs.describe(
        "GET " + PATH,
        OpenApiDocument.Operation.of(
                "Secrets' names and update times, never a value", ResourceSchemas.SECRET_LIST)
            .query("project", "only this project's")
            .query("repository", "only this repository's"));
    ObjectOf object = ObjectOf.pathParams("kind", "scope", "name");
    table.put(one, Access.needs("secrets/set", object), Handlers.answered(this::set));
    docs.describe(
        "PUT " + one,
        OpenApiDocument.Operation.of(
                "Set a secret of a project or repository (kind: project or repository); the value"
                    + " is never shown again",
                ResourceSchemas.SECRET)
            .body(ResourceSchemas.SECRET_REQUEST));
    table.delete(one, Access.needs("secrets/delete", object), Handlers.answered(this::delete));
    docs.describe(
        "DELETE " + one, OpenApiDocument.Operation.of("Delete a secret", ResourceSchemas.SECRET));
  }

  /** The sealing key is read at the first use: a server that never sets a secret needs none. */
  private synchronized Secrets secrets() {
    if (secrets == null) {
      secrets = new Secrets(store, SecretKeyFile.load(dataDir));
    }
    return secrets;
  }

  private void list(Context ctx) {
    String project = ctx.queryParam("project");
    String repository = ctx.queryParam("repository");
    if (project != null && repository != null) {
      throw BadRequest.field("repository", "give project or repository, not both", "drop one");
    }
    Optional<SecretScope> scope;
    try {
      scope =
          project != null
              ? Optional.of(new SecretScope.Project(project))
              : Optional.ofNullable(repository).map(SecretScope.Repository::new);
    } catch (TagflowException refused) {
      throw BadRequest.field(
          project != null ? "project" : "repository",
          refused.getMessage(),
          "as tagflow secret list");
    }
    Set<String> subjects = AccessGate.principal(ctx).subjects();
    ctx.json(
        Map.of(
            "items",
            store.list().stream()
                .map(s -> new SecretEntry(SecretScope.ofKey(s.scope()), s.name(), s.updatedAt()))
                .filter(e -> scope.isEmpty() || e.scope().equals(scope.get()))
                .filter(e -> authorizer.allows(subjects, GET, objectOf(e.scope(), e.name())))
                .map(e -> json(e.scope(), e.name(), Optional.of(e.updatedAt().toString())))
                .toList()));
  }

  private static String objectOf(SecretScope scope, String name) {
    return scope.key() + "/" + name;
  }

  private SecretScope scope(Context ctx) {
    String kind = ctx.pathParam("kind");
    String name = ctx.pathParam("scope");
    try {
      return switch (kind) {
        case "project" -> new SecretScope.Project(name);
        case "repository" -> new SecretScope.Repository(name);
        default ->
            throw BadRequest.field(
                "kind",
                "'" + Handlers.shorten(kind) + "' is not a kind of scope",
                "use project or repository");
      };
    } catch (TagflowException refused) {
      throw BadRequest.field(
          "scope", refused.getMessage(), "as tagflow secret set --project|--repo");
    }
  }

  private void set(Context ctx) {
    RequestBody body = RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of("value"));
    // Characters, not bytes: the store checks the bytes against Secrets.MAX_VALUE_BYTES.
    String value = body.requiredText("value", Secrets.MAX_VALUE_BYTES, "{\"value\": \"…\"}");
    SecretScope scope = scope(ctx);
    String stored;
    try {
      stored = secrets().set(scope, ctx.pathParam("name"), value.getBytes(StandardCharsets.UTF_8));
    } catch (TagflowException refused) {
      // The engine's messages name the secret and its size, never its value.
      throw Handlers.refused(refused, "see docs/secrets.md");
    }
    log.info("secret {} of {} set by {}", stored, scope, AccessGate.principal(ctx).name());
    ctx.json(json(scope, stored, Optional.empty()));
  }

  private void delete(Context ctx) {
    RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of());
    SecretScope scope = scope(ctx);
    String name = ctx.pathParam("name");
    boolean deleted;
    try {
      deleted = secrets().delete(scope, name);
    } catch (TagflowException refused) {
      throw Handlers.refused(refused, "see GET " + PATH);
    }
    if (!deleted) {
      throw Handlers.notFound(
          scope + " has no secret '" + Handlers.shorten(name) + "'", "name", "see GET " + PATH);
    }
    log.info("secret {} of {} deleted by {}", name, scope, AccessGate.principal(ctx).name());
    ctx.json(json(scope, name.toUpperCase(java.util.Locale.ROOT), Optional.empty()));
  }

  private static Map<String, Object> json(
      SecretScope scope, String name, Optional<String> updatedAt) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put(scope instanceof SecretScope.Project ? "project" : "repository", scope.name());
    updatedAt.ifPresent(at -> json.put("updatedAt", at));
    return json;
  }
}
