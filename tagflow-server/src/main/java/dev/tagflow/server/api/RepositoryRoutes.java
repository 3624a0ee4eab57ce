package dev.tagflow.server.api;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.app.Application;
import dev.tagflow.app.SourceType;
import dev.tagflow.server.git.HostedRepositories;
import dev.tagflow.server.rbac.Authorizer;
import dev.tagflow.server.rbac.Permission;
import dev.tagflow.server.repository.AddedRepositories;
import dev.tagflow.server.repository.SecretReference;
import dev.tagflow.server.webhook.TrackedRepositories;
import dev.tagflow.store.AddedRepository;
import io.javalin.http.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import tools.jackson.databind.ObjectMapper;

/**
 * The repositories the server follows under {@code /api/v1/repositories}: those added here (kept in
 * the store), those of the settings file or {@code tagflow repo add}, those its applications read,
 * and those its Git server hosts, each named {@code owner/name} as runs name them, its URL without
 * credentials. {@code POST} adds an HTTPS repository that logs in with a secret of the secret store
 * (named, never sent); {@code DELETE} removes one added here, unless an application still reads it.
 * {@code POST /api/repos} creates a hosted one.
 */
public final class RepositoryRoutes {

  public static final String PATH = "/api/v1/repositories";

  private static final Permission GET = Permission.of("repositories/get");

  /** Setting a secret is what lets a repository log in with it: its value goes to that URL. */
  private static final Permission USE_SECRET = Permission.of("secrets/set");

  private static final Set<String> FIELDS = Set.of("url", "username", "passwordSecret");

  private final TrackedRepositories tracked;
  private final HostedRepositories hosted;
  private final AddedRepositories added;
  private final Supplier<List<Application>> applications;
  private final Supplier<URI> serverUrl;
  private final Authorizer authorizer;

  /**
   * @param applications the applications the controller runs: a repository one of them reads is not
   *     removed
   */
  public RepositoryRoutes(
      TrackedRepositories tracked,
      HostedRepositories hosted,
      AddedRepositories added,
      Supplier<List<Application>> applications,
      Supplier<URI> serverUrl,
      Authorizer authorizer) {
    this.tracked = tracked;
    this.hosted = hosted;
    this.added = added;
    this.applications = applications;
    this.serverUrl = serverUrl;
    this.authorizer = authorizer;
  }

  public void addTo(RouteTable table, OpenApiDocument docs, ObjectMapper json) {
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
    ObjectOf url = ObjectOf.bodyField("url", json);
    table.post(
        PATH,
        Access.needs(
            "repositories/create",
            new ObjectOf(
                "owner/name of the body's url",
                ctx -> url.of(ctx).isEmpty() ? "" : nameOf(url.of(ctx)))),
        Handlers.answered(this::add));
    docs.describe(
        "POST " + PATH,
        OpenApiDocument.Operation.of(
                "Follow an HTTPS repository, logging in with a stored secret (named, never sent);"
                    + " kept across restarts",
                ResourceSchemas.REPOSITORY)
            .body(ResourceSchemas.REPOSITORY_REQUEST)
            .status(201));
    table.get(
        one,
        Access.needs("repositories/get", ObjectOf.pathParams("owner", "name")),
        Handlers.answered(this::get));
    docs.describe(
        "GET " + one, OpenApiDocument.Operation.of("One repository", ResourceSchemas.REPOSITORY));
    table.delete(
        one,
        Access.needs("repositories/delete", ObjectOf.pathParams("owner", "name")),
        Handlers.answered(this::remove));
    docs.describe(
        "DELETE " + one,
        OpenApiDocument.Operation.of(
            "Stop following a repository added over the API; refused (409) while an application"
                + " reads it",
            ResourceSchemas.REPOSITORY));
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
    for (AddedRepository repository : added.list()) {
      all.put(repository.name(), json(repository));
    }
    for (String url : tracked.urls()) {
      all.putIfAbsent(nameOf(url), json(nameOf(url), UrlRedaction.redact(url), "followed"));
    }
    String base = serverUrl.get().toString().replaceAll("/+$", "");
    for (HostedRepositories.HostedRepository repository : hosted.list()) {
      String url = base + "/git/" + repository.name() + ".git";
      all.put(nameOf(url), json(nameOf(url), url, "hosted"));
    }
    return all;
  }

  private static Map<String, Object> json(String name, String url, String source) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("url", url);
    json.put("hosted", source.equals("hosted"));
    json.put("source", source);
    json.put("runs", RunRoutes.PATH + "?repository=" + name);
    return json;
  }

  /** An added repository: how it logs in by name (user, secret reference), never a value. */
  private static Map<String, Object> json(AddedRepository repository) {
    Map<String, Object> json = json(repository.name(), repository.url(), "api");
    repository.username().ifPresent(user -> json.put("username", user));
    repository.passwordSecret().ifPresent(secret -> json.put("passwordSecret", secret));
    json.put("addedBy", repository.addedBy());
    json.put("addedAt", repository.addedAt().toString());
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
    String name = pathName(ctx);
    Map<String, Object> found = all().get(name);
    if (found == null) {
      throw Handlers.notFound("no repository '" + name + "'", "name", "see GET " + PATH);
    }
    ctx.json(found);
  }

  private void add(Context ctx) {
    RequestBody body = RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), FIELDS);
    String text =
        body.requiredText("url", AddedRepositories.MAX_URL, "\"https://github.com/acme/web.git\"");
    String url;
    try {
      url = AddedRepositories.checkedUrl(text.strip());
    } catch (TagflowException refused) {
      throw BadRequest.field("url", refused.getMessage(), "see docs/api.md (Repositories)");
    }
    String name = nameOf(url);
    String[] parts = name.split("/");
    if (parts.length != 2
        || !Handlers.ID.matcher(parts[0]).matches()
        || !Handlers.ID.matcher(parts[1]).matches()) {
      throw BadRequest.field(
          "url",
          "url names no owner/name Tagflow can use ('" + Handlers.shorten(name) + "')",
          "give a URL whose last two path segments are letters, digits, '.', '_', '@' and '-'");
    }
    Optional<String> username = body.text("username", 256);
    if (username.isPresent()
        && (username.get().isBlank() || !username.get().matches("[^\\p{Cntrl}:]+"))) {
      throw BadRequest.field(
          "username", "username is empty or holds ':' or a control character", "give the login");
    }
    Optional<SecretReference> secret = secret(ctx, body.text("passwordSecret", 512));
    if (username.isPresent() && secret.isEmpty()) {
      throw BadRequest.field(
          "username",
          "username is given without passwordSecret",
          "name the secret holding the password in passwordSecret, e.g. project/shop/GIT_TOKEN");
    }
    Map<String, Object> followed = all().get(name);
    if (followed != null) {
      throw alreadyFollowed(name, followed);
    }
    AddedRepositories.Request request = new AddedRepositories.Request(url, username, secret);
    String by = AccessGate.principal(ctx).name();
    AddedRepository stored =
        added
            .add(name, request, by)
            .orElseThrow(
                () ->
                    new BadRequest(
                        409,
                        "conflict",
                        "repository " + name + " (or its URL) was added meanwhile",
                        Optional.of("url"),
                        "see GET " + PATH + "/" + name));
    ctx.status(201).json(json(stored));
  }

  /** The secret, checked: well named, set, and one the caller may set (its value goes to url). */
  private Optional<SecretReference> secret(Context ctx, Optional<String> text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    SecretReference secret;
    try {
      secret = SecretReference.parse(text.get());
    } catch (TagflowException refused) {
      throw BadRequest.field(
          "passwordSecret", refused.getMessage(), "name a secret as GET /api/v1/secrets lists it");
    }
    if (!authorizer.allows(AccessGate.principal(ctx).subjects(), USE_SECRET, secret.toString())) {
      throw new BadRequest(
          403,
          "forbidden",
          "a repository may log in only with a secret its adder may set: "
              + AccessGate.principal(ctx).name()
              + " may not secrets/set "
              + secret,
          Optional.of("passwordSecret"),
          "ask an admin to add the repository, or to grant secrets/set on " + secret);
    }
    if (!added.secretIsSet(secret)) {
      throw BadRequest.field(
          "passwordSecret",
          "secret " + secret + " is not set",
          "set it first: PUT " + SecretRoutes.PATH + "/" + secret + " (or tagflow secret set)");
    }
    return Optional.of(secret);
  }

  private static BadRequest alreadyFollowed(String name, Map<String, Object> followed) {
    String from =
        switch (String.valueOf(followed.get("source"))) {
          case "hosted" -> "hosted by this server's Git server";
          case "api" -> "added by " + followed.get("addedBy");
          default -> "followed from the settings file, 'tagflow repo add' or an application";
        };
    return new BadRequest(
        409,
        "conflict",
        "repository " + name + " is " + from,
        Optional.of("url"),
        "see GET " + PATH + "/" + name);
  }

  private void remove(Context ctx) {
    RequestBody.read(ctx.bodyAsBytes(), ctx.contentType(), Set.of());
    String name = pathName(ctx);
    Optional<AddedRepository> stored = added.get(name);
    if (stored.isEmpty()) {
      Map<String, Object> followed = all().get(name);
      if (followed == null) {
        throw Handlers.notFound("no repository '" + name + "'", "name", "see GET " + PATH);
      }
      throw new BadRequest(
          409,
          "conflict",
          "repository "
              + name
              + " was not added over the API: it is "
              + (Boolean.TRUE.equals(followed.get("hosted"))
                  ? "hosted by this server's Git server"
                  : "followed from the settings file, 'tagflow repo add' or an application"),
          Optional.of("name"),
          "remove it where it comes from");
    }
    List<String> readers = readers(stored.get().url());
    if (!readers.isEmpty()) {
      throw new BadRequest(
          409,
          "conflict",
          "repository "
              + name
              + " is still read by "
              + (readers.size() == 1 ? "application " : "applications ")
              + String.join(", ", readers),
          Optional.of("name"),
          "remove those applications or point them at another repository first");
    }
    if (!added.remove(name, AccessGate.principal(ctx).name())) {
      throw Handlers.notFound(
          "repository '" + name + "' was removed meanwhile", "name", "see GET " + PATH);
    }
    ctx.json(json(stored.get()));
  }

  /** The applications reading a URL: their source or their Helm chart's repository. */
  private List<String> readers(String url) {
    String wanted = comparable(url);
    List<String> readers = new ArrayList<>();
    for (Application application : applications.get()) {
      List<String> urls = new ArrayList<>();
      urls.add(application.source().repoURL());
      if (application.source().type() instanceof SourceType.Helm helm) {
        helm.chart().flatMap(c -> c.repoURL()).ifPresent(urls::add);
      }
      if (urls.stream().anyMatch(u -> comparable(u).equals(wanted))) {
        readers.add(application.name());
      }
    }
    return readers.stream().sorted().toList();
  }

  /** A URL as the same repository's URLs compare: no credentials, no .git, any case. */
  private static String comparable(String url) {
    return UrlRedaction.redact(url)
        .replaceAll("/+$", "")
        .replaceAll("\\.git$", "")
        .toLowerCase(Locale.ROOT);
  }

  private static String pathName(Context ctx) {
    return Handlers.id(ctx, "owner", "a repository owner")
        + "/"
        + Handlers.id(ctx, "name", "a repository name");
  }
}
