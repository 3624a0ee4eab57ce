package dev.tagflow.server.api;

import dev.tagflow.TagflowException;
import dev.tagflow.server.auth.Users;
import dev.tagflow.store.UserRecord;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local users under {@code /api/v1/users}, as {@code tagflow user} does: list, add, change a
 * password (which ends the user's sessions), remove (which also revokes their tokens). Passwords go
 * in bodies only, never in an answer, a log line or the audit log.
 */
public final class UserRoutes {

  private static final Logger log = LoggerFactory.getLogger(UserRoutes.class);

  public static final String PATH = "/api/v1/users";

  private final Users users;

  public UserRoutes(Users users) {
    this.users = users;
  }

  public void addTo(
      RouteTable table, OpenApiDocument docs, tools.jackson.databind.ObjectMapper json) {
    String one = PATH + "/{user}";
    ObjectOf user = ObjectOf.pathParams("user");
    table.get(PATH, Access.needs("users/get", ObjectOf.fixed("*")), Handlers.answered(this::list));
    docs.describe(
        "GET " + PATH, OpenApiDocument.Operation.of("Local users", ResourceSchemas.USER_LIST));
    table.post(
        PATH,
        Access.needs("users/create", ObjectOf.bodyField("name", json)),
        Handlers.answered(this::add));
    docs.describe(
        "POST " + PATH,
        OpenApiDocument.Operation.of("Add a user with a password", ResourceSchemas.USER)
            .status(201)
            .body(ResourceSchemas.USER_REQUEST));
    table.put(
        one + "/password", Access.needs("users/update", user), Handlers.answered(this::password));
    docs.describe(
        "PUT " + one + "/password",
        OpenApiDocument.Operation.of(
                "Set a user's password; their sessions end", ResourceSchemas.USER)
            .body(ResourceSchemas.PASSWORD_REQUEST));
    table.delete(one, Access.needs("users/delete", user), Handlers.answered(this::remove));
    docs.describe(
        "DELETE " + one,
        OpenApiDocument.Operation.of(
            "Remove a user: their sessions end and their tokens are revoked",
            ResourceSchemas.USER));
  }

  private void list(Context ctx) {
    ctx.json(
        Map.of(
            "items",
            users.list().stream()
                .map(
                    u -> {
                      Map<String, Object> json = new LinkedHashMap<>();
                      json.put("name", u.name());
                      json.put("createdAt", u.createdAt().toString());
                      json.put("updatedAt", u.updatedAt().toString());
                      return json;
                    })
                .toList()));
  }

  private void add(Context ctx) {
    RequestBody body =
        RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of("name", "password"));
    String name = body.requiredText("name", 64, "{\"name\": \"alice\"}");
    String password = body.requiredText("password", 1024, "{\"password\": \"…\"}");
    try {
      users.add(name, password);
    } catch (TagflowException refused) {
      throw Handlers.refused(refused, "see GET " + PATH);
    }
    log.info("user {} added by {}", name, AccessGate.principal(ctx).name());
    ctx.status(201).json(Map.of("name", name));
  }

  private void password(Context ctx) {
    RequestBody body = RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of("password"));
    String password = body.requiredText("password", 1024, "{\"password\": \"…\"}");
    String name = user(ctx);
    try {
      users.setPassword(name, password);
    } catch (TagflowException refused) {
      throw refusedFor(name, refused);
    }
    log.info("password of user {} set by {}", name, AccessGate.principal(ctx).name());
    ctx.json(Map.of("name", name));
  }

  private void remove(Context ctx) {
    RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of());
    String name = user(ctx);
    try {
      users.remove(name);
    } catch (TagflowException refused) {
      throw refusedFor(name, refused);
    }
    log.info("user {} removed by {}", name, AccessGate.principal(ctx).name());
    ctx.json(Map.of("name", name));
  }

  private static String user(Context ctx) {
    return Handlers.id(ctx, "user", "a user name");
  }

  /** An unknown user is a 404; a password the rules refuse a 400. */
  private BadRequest refusedFor(String name, TagflowException refused) {
    boolean known = users.list().stream().map(UserRecord::name).anyMatch(name::equals);
    return known
        ? Handlers.refused(refused, "see docs/auth.md")
        : Handlers.notFound("no user named '" + name + "'", "user", "see GET " + PATH);
  }
}
