package dev.tagflow.server.ui;

import dev.tagflow.server.api.Access;
import dev.tagflow.server.api.RouteTable;
import dev.tagflow.server.rbac.ApplicationEnvironment;
import dev.tagflow.store.BuiltImage;
import dev.tagflow.store.ReleaseStore;
import dev.tagflow.store.Store;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * The releases: each image a run pushed (tag → commit → digest) and the environments whose
 * applications run it (a sync links its Release once the application was Healthy with it), as
 * {@code tagflow releases} lists them.
 */
public final class ReleasesPage {

  static final String PATH = "/ui/releases";

  /** Images listed. */
  static final int LIMIT = 100;

  private final PageFrame frame;
  private final Store store;
  private final BoardSource applications;

  ReleasesPage(PageFrame frame, Store store, BoardSource applications) {
    this.frame = frame;
    this.store = store;
    this.applications = applications;
  }

  /** One image and where it runs. */
  public record Row(BuiltImage image, List<Reached> reached) {}

  /** An environment an image reached, through which application, since when. */
  public record Reached(String environment, String application, java.time.Instant since) {}

  void addTo(RouteTable table) {
    table.get(
        PATH,
        new Access.SignedIn("lists only the releases of repositories the viewer may get"),
        this::page);
  }

  private void page(Context ctx) {
    List<Row> rows =
        store.builtImages().latest(null, LIMIT).stream()
            .filter(image -> frame.allows(ctx, "releases/get", image.repository()))
            .map(image -> new Row(image, reached(image)))
            .toList();
    Map<String, Object> params = frame.params(ctx);
    params.put("rows", rows);
    frame.page(ctx, "releases.jte", params);
  }

  private List<Reached> reached(BuiltImage image) {
    return store.releases().deployedWith(image.digest()).stream()
        .map(
            (ReleaseStore.Deployment d) ->
                new Reached(
                    applications
                        .entry(d.application())
                        .map(e -> ApplicationEnvironment.of(e.application()))
                        .orElse("?"),
                    d.application(),
                    d.syncedAt()))
        .sorted((a, b) -> Board.compareEnvironments(a.environment(), b.environment()))
        .toList();
  }
}
