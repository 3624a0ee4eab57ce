package dev.tagflow.server.api;

import dev.tagflow.UrlRedaction;
import dev.tagflow.server.git.HostedRepositories;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.server.rbac.Permission;
import dev.tagflow.server.webhook.TrackedRepositories;
import io.javalin.http.Context;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The repositories the server follows under {@code /api/v1/repositories}: those of the settings
 * file or {@code tagflow repo add}, those its applications read, and those its Git server hosts,
 * each named {@code owner/name} as runs name them, its URL without credentials. Adding and removing
 * stay with the settings file and {@code tagflow repo add} (which check the credentials files);
 * {@code POST /api/repos} creates a hosted one.
 */
public final class RepositoryRoutes {

  public static final String PATH = "/api/v1/repositories";

  private static final Permission GET = Permission.of("repositories/get");

  private final TrackedRepositories tracked;
  private final HostedRepositories hosted;
  private final Supplier<URI> serverUrl;
  private final Authorizer authorizer;

  public RepositoryRoutes(
      TrackedRepositories tracked,
      HostedRepositories hosted,
      Supplier<URI> serverUrl,
      Authorizer authorizer) {
    this.tracked = tracked;
    this.hosted = hosted;
    this.serverUrl = serverUrl;
    this.authorizer = authorizer;
  }

  public void addTo(RouteTable table, OpenApiDocument docs) {
    String one = PATH + "/{owner}/{name}";
    table.get(
        PATH,
        new Access.SignedIn(
            "each repository is listed only if the caller has repositories/get on its owner/name"),
        Handlers.answered(this::list));
    docs.describe(
        "GET " + PATH,
        OpenApiDocument.Operation.of(
            "Repositories followed and hosted, URLs without credentials",
            ResourceSchemas.REPOSITORY_LIST));
    table.get(
        one,
        Access.needs("repositories/get", ObjectOf.pathParams("owner", "name")),
        Handlers.answered(this::get));
    docs.describe(
        "GET " + one, OpenApiDocument.Operation.of("One repository", ResourceSchemas.REPOSITORY));
  }

  /** {@code owner/name} of a URL: its last two path segments, as runs and secrets name it. */
  static String nameOf(String url) {
    String path = UrlRedaction.redact(url).replaceAll("/+$", "").replaceAll("\\.git$", "");
    String[] parts = path.split("[/:]");
    return parts.length >= 2 ? parts[parts.length - 2] + "/" + parts[parts.length - 1] : path;
  }

  /** Every repository by name; a hosted one wins over a followed URL of the same name. */
  private Map<String, Map<String, Object>> all() {
    Map<String, Map<String, Object>> all = new TreeMap<>();
    for (String url : tracked.urls()) {
      all.putIfAbsent(nameOf(url), json(nameOf(url), UrlRedaction.redact(url), false));
    }
    String base = serverUrl.get().toString().replaceAll("/+$", "");
    for (HostedRepositories.HostedRepository repository : hosted.list()) {
      String url = base + "/git/" + repository.name() + ".git";
      all.put(nameOf(url), json(nameOf(url), url, true));
    }
    return all;
  }

  private static Map<String, Object> json(String name, String url, boolean hosted) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("url", url);
    json.put("hosted", hosted);
    json.put("runs", RunRoutes.PATH + "?repository=" + name);
    return json;
  }

  private void list(Context ctx) {
    Set<String> subjects = AccessGate.principal(ctx).subjects();
    List<Map<String, Object>> items =
        all().entrySet().stream()
            .filter(e -> authorizer.allows(subjects, GET, e.getKey()))
            .map(Map.Entry::getValue)
            .toList();
    ctx.json(Map.of("items", items));
  }

  private void get(Context ctx) {
    String owner = Handlers.id(ctx, "owner", "a repository owner");
    String name = Handlers.id(ctx, "name", "a repository name");
    Map<String, Object> found = all().get(owner + "/" + name);
    if (found == null) {
      throw Handlers.notFound(
          "no repository '" + owner + "/" + name + "'", "name", "see GET " + PATH);
    }
    ctx.json(found);
  }
}
