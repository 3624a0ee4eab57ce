package dev.tagflow.server.ui;

import dev.tagflow.server.api.Access;
import dev.tagflow.server.api.RouteTable;
import dev.tagflow.server.rbac.ApplicationEnvironment;
import dev.tagflow.store.Store;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Charts of delivery over time, drawn by uPlot (served from its webjar) from the tables the page
 * holds, which a screen reader reads instead. Only the applications and repositories the viewer may
 * get are counted.
 */
final class ChartsPage {

  static final String PATH = "/ui/charts";

  /** Images whose lead times are charted. */
  static final int IMAGES = 200;

  /** Syncs per application charted (the history keeps the last few anyway). */
  static final int SYNCS_PER_APPLICATION = 100;

  private final PageFrame frame;
  private final Store store;
  private final BoardSource applications;

  ChartsPage(PageFrame frame, Store store, BoardSource applications) {
    this.frame = frame;
    this.store = store;
    this.applications = applications;
  }

  void addTo(RouteTable table) {
    table.get(
        PATH,
        new Access.SignedIn("charts only the applications and releases the viewer may get"),
        this::page);
  }

  private void page(Context ctx) {
    List<Board.Entry> visible =
        applications.entries().stream()
            .filter(
                e ->
                    frame.allows(
                        ctx, "applications/get", ApplicationEnvironment.objectOf(e.application())))
            .toList();
    Map<String, String> environments =
        visible.stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    e -> e.application().name(),
                    e -> ApplicationEnvironment.of(e.application()),
                    (a, b) -> a));
    List<Charts.Sync> syncs =
        visible.stream()
            .flatMap(
                e ->
                    store.history().list(e.application().name()).stream()
                        .limit(SYNCS_PER_APPLICATION)
                        .map(h -> new Charts.Sync(ApplicationEnvironment.of(e.application()), h)))
            .toList();
    Charts charts =
        Charts.of(
            store.builtImages().latest(null, IMAGES).stream()
                .filter(image -> frame.allows(ctx, "releases/get", image.repository()))
                .toList(),
            store.runs()::get,
            digest ->
                store.releases().deployedWith(digest).stream()
                    .filter(d -> environments.containsKey(d.application()))
                    .toList(),
            application -> environments.getOrDefault(application, "?"),
            syncs);
    Map<String, Object> params = frame.params(ctx);
    params.put("charts", charts);
    frame.page(ctx, "charts.jte", params);
  }
}
