package dev.tagflow.server.api;

import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.server.rbac.Permission;
import dev.tagflow.store.BuiltImage;
import dev.tagflow.store.BuiltImageStore;
import dev.tagflow.store.ReleaseStore;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/v1/releases}: what {@code tagflow releases} shows — each image a run pushed (tag
 * → commit → digest) and the applications whose recorded release runs that digest.
 */
public final class ReleaseRoutes {

  public static final String PATH = "/api/v1/releases";

  static final int MAX_LIMIT = 500;

  private static final Permission GET = Permission.of("releases/get");

  private final BuiltImageStore images;
  private final ReleaseStore releases;
  private final Authorizer authorizer;

  public ReleaseRoutes(BuiltImageStore images, ReleaseStore releases, Authorizer authorizer) {
    this.images = images;
    this.releases = releases;
    this.authorizer = authorizer;
  }

  public void addTo(RouteTable table, OpenApiDocument docs) {
    table.get(
        PATH,
        new Access.SignedIn(
            "each release is listed only if the caller has releases/get on its repository"),
        Handlers.answered(this::list));
    docs.describe(
        "GET " + PATH,
        OpenApiDocument.Operation.of(
                "Images runs pushed, newest first, and the applications running each",
                ResourceSchemas.RELEASE_LIST)
            .query("repository", "only this repository's (owner/name)")
            .query("limit", "at most this many, 1 to " + MAX_LIMIT + " (50)"));
  }

  private void list(Context ctx) {
    int limit = Handlers.limit(ctx, "limit", 50, MAX_LIMIT);
    String repository = ctx.queryParam("repository");
    Set<String> subjects = AccessGate.principal(ctx).subjects();
    List<Map<String, Object>> items =
        images.latest(repository, MAX_LIMIT).stream()
            .filter(i -> authorizer.allows(subjects, GET, i.repository()))
            .limit(limit)
            .map(this::json)
            .toList();
    ctx.json(Map.of("items", items));
  }

  private Map<String, Object> json(BuiltImage image) {
    Map<String, Object> json = RunView.image(image);
    json.put(
        "runningIn",
        releases.deployedWith(image.digest()).stream()
            .map(ReleaseStore.Deployment::application)
            .toList());
    return json;
  }
}
