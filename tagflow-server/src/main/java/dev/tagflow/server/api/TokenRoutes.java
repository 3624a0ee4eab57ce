package dev.tagflow.server.api;

import dev.tagflow.TagflowException;
import dev.tagflow.server.auth.ApiTokens;
import dev.tagflow.store.ApiTokenRecord;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens under {@code /api/v1/tokens}, as {@code tagflow token} does: create (the token's text
 * in that answer only), list (never a secret, not even its digest), revoke.
 */
public final class TokenRoutes {

  private static final Logger log = LoggerFactory.getLogger(TokenRoutes.class);

  public static final String PATH = "/api/v1/tokens";

  private final ApiTokens tokens;
  private final Clock clock;

  public TokenRoutes(ApiTokens tokens, Clock clock) {
    this.tokens = tokens;
    this.clock = clock;
  }

  public void addTo(
      RouteTable table, OpenApiDocument docs, tools.jackson.databind.ObjectMapper json) {
    table.get(PATH, Access.needs("tokens/get", ObjectOf.fixed("*")), Handlers.answered(this::list));
    docs.describe(
        "GET " + PATH,
        OpenApiDocument.Operation.of(
            "Tokens: name, owner, state; never the secret", ResourceSchemas.TOKEN_LIST));
    table.post(
        PATH,
        Access.needs(
            "tokens/create",
            new ObjectOf(
                "body fields owner/name",
                ctx ->
                    ObjectOf.bodyField("owner", json).of(ctx)
                        + "/"
                        + ObjectOf.bodyField("name", json).of(ctx))),
        Handlers.answered(this::create));
    docs.describe(
        "POST " + PATH,
        OpenApiDocument.Operation.of(
                "Create a token acting as its owner; its text is in this answer only",
                ResourceSchemas.TOKEN_CREATED)
            .status(201)
            .body(ResourceSchemas.TOKEN_REQUEST));
    table.delete(
        PATH + "/{token}",
        Access.needs(
            "tokens/revoke",
            new ObjectOf(
                "owner/name of the token (-/{token} when there is none)",
                ctx -> objectOf(ctx.pathParam("token")))),
        Handlers.answered(this::revoke));
    docs.describe(
        "DELETE " + PATH + "/{token}",
        OpenApiDocument.Operation.of("Revoke a token, by id or name", ResourceSchemas.TOKEN));
  }

  private String objectOf(String idOrName) {
    return tokens.list().stream()
        .filter(t -> t.id().equals(idOrName) || t.name().equals(idOrName))
        .findFirst()
        .map(t -> t.owner() + "/" + t.name())
        .orElse("-/" + idOrName);
  }

  private void list(Context ctx) {
    Instant now = clock.instant();
    ctx.json(Map.of("items", tokens.list().stream().map(t -> json(t, now)).toList()));
  }

  private void create(Context ctx) {
    RequestBody body =
        RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of("name", "owner", "expires"));
    String name = body.requiredText("name", 64, "{\"name\": \"ci-deploy\"}");
    String owner = body.requiredText("owner", 64, "{\"owner\": \"alice\"}");
    String expires = body.text("expires", 16).orElse("90d");
    ApiTokens.Created created;
    try {
      Optional<Duration> lifetime = ApiTokens.lifetime("expires", expires);
      created = tokens.create(name, owner, lifetime);
    } catch (TagflowException refused) {
      throw Handlers.refused(refused, "see GET " + PATH);
    }
    log.info("token {} for {} created by {}", name, owner, AccessGate.principal(ctx).name());
    Map<String, Object> answer = json(created.record(), clock.instant());
    answer.put("token", created.text());
    ctx.status(201).json(answer);
  }

  private void revoke(Context ctx) {
    RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of());
    String idOrName = Handlers.id(ctx, "token", "a token id or name");
    ApiTokenRecord revoked =
        tokens
            .revoke(idOrName)
            .orElseThrow(
                () ->
                    Handlers.notFound(
                        "no token with id or name '" + idOrName + "'", "token", "see GET " + PATH));
    log.info("token {} revoked by {}", revoked.name(), AccessGate.principal(ctx).name());
    ctx.json(json(revoked, clock.instant()));
  }

  private static Map<String, Object> json(ApiTokenRecord token, Instant now) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", token.id());
    json.put("name", token.name());
    json.put("owner", token.owner());
    json.put(
        "state",
        token.revokedAt().isPresent() ? "revoked" : token.validAt(now) ? "active" : "expired");
    json.put("createdAt", token.createdAt().toString());
    json.put("expiresAt", token.expiresAt().map(Instant::toString).orElse(null));
    json.put("revokedAt", token.revokedAt().map(Instant::toString).orElse(null));
    return json;
  }
}
