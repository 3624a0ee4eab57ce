package dev.tagflow.server.ui;

import dev.tagflow.app.Application;
import dev.tagflow.reconcile.ApplicationStatus;
import dev.tagflow.server.rbac.ApplicationEnvironment;
import dev.tagflow.store.PromotionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The board as the page shows it: environments as columns, applications as rows grouped by project,
 * one cell per application and environment.
 *
 * @param environments the columns, in delivery order (dev, staging, production, then the others)
 * @param projects the projects, each with its rows
 */
public record Board(List<String> environments, List<Project> projects) {

  /** The label that names the row an application belongs to across environments. */
  public static final String ROW_LABEL = "app.kubernetes.io/name";

  /** Environments people name this way come first, in this order. */
  static final List<String> DELIVERY_ORDER =
      List.of("dev", "development", "test", "qa", "staging", "stage", "prod", "production");

  /** A project and its rows. */
  public record Project(String name, List<Row> rows) {}

  /** One row: the cells of an application across the environments, by column. */
  public record Row(String name, List<Optional<Cell>> cells) {}

  /**
   * What one application runs in one environment.
   *
   * @param application the Tagflow application
   * @param version what runs: the revision it was asked for ({@code v1.2.3}, {@code main})
   * @param commit the short commit that runs, or empty when nothing was deployed
   * @param sync Synced, OutOfSync or Unknown
   * @param health Healthy, Progressing, Degraded, …
   * @param deployedAt when it was deployed, if it was
   * @param operation a running sync's step, or empty
   * @param promotion a pending promotion request into this environment, as "version (#id)"
   */
  public record Cell(
      String application,
      String version,
      String commit,
      String sync,
      String health,
      Optional<Instant> deployedAt,
      Optional<String> operation,
      Optional<String> promotion) {

    /** The SSE event name that carries this cell's new content. */
    public String event() {
      return eventOf(application);
    }

    /** Time since the deploy, e.g. {@code 3m}, or empty. */
    public String age(Instant now) {
      return deployedAt.map(at -> shortAge(Duration.between(at, now))).orElse("");
    }
  }

  /** The SSE event name of an application's cell. */
  public static String eventOf(String application) {
    return "app-" + application;
  }

  /** An application with what the board needs of it. */
  public record Entry(Application application, ApplicationStatus status) {}

  /**
   * The row of an application: its {@code app.kubernetes.io/name} label, else its name without the
   * environment's suffix ({@code web-production} in production is the row {@code web}).
   */
  public static String rowOf(Application application) {
    String label = application.metadata().labels().get(ROW_LABEL);
    if (label != null && !label.isBlank()) {
      return label;
    }
    String name = application.name();
    String suffix = "-" + ApplicationEnvironment.of(application);
    return name.endsWith(suffix) && name.length() > suffix.length()
        ? name.substring(0, name.length() - suffix.length())
        : name;
  }

  /** Builds the board of the entries {@code visible} lets through, with the pending promotions. */
  public static Board of(
      List<Entry> entries, List<PromotionRecord> pending, Predicate<Application> visible) {
    List<Entry> shown = entries.stream().filter(e -> visible.test(e.application())).toList();
    TreeSet<String> names = new TreeSet<>(Board::compareEnvironments);
    shown.forEach(e -> names.add(ApplicationEnvironment.of(e.application())));
    List<String> environments = List.copyOf(names);
    Map<String, Map<String, Map<String, Cell>>> byProject = new TreeMap<>();
    for (Entry entry : shown) {
      Application app = entry.application();
      byProject
          .computeIfAbsent(app.project(), p -> new TreeMap<>())
          .computeIfAbsent(rowOf(app), r -> new LinkedHashMap<>())
          // Two applications of one row and environment: the first by name stays on the board.
          .putIfAbsent(ApplicationEnvironment.of(app), cellOf(entry, pending));
    }
    List<Project> projects = new ArrayList<>();
    byProject.forEach(
        (project, rows) -> {
          List<Row> list = new ArrayList<>();
          rows.forEach(
              (row, cells) ->
                  list.add(
                      new Row(
                          row,
                          environments.stream()
                              .map(env -> Optional.ofNullable(cells.get(env)))
                              .toList())));
          projects.add(new Project(project, list));
        });
    return new Board(environments, projects);
  }

  /** The cell of one application. */
  public static Cell cellOf(Entry entry, List<PromotionRecord> pending) {
    ApplicationStatus status = entry.status();
    Application app = entry.application();
    String environment = ApplicationEnvironment.of(app);
    Optional<String> promotion =
        pending.stream()
            .filter(p -> p.state() == PromotionRecord.PromotionState.PENDING)
            .filter(p -> p.draft().environment().equals(environment))
            .filter(
                p ->
                    ApplicationEnvironment.sameRepository(
                        p.draft().repository(), app.source().repoURL()))
            .max(Comparator.comparing(PromotionRecord::createdAt))
            .map(p -> p.draft().version() + " (#" + p.id() + ")");
    return new Cell(
        app.name(),
        status.deployed().map(d -> d.revision().requested()).orElse("not deployed"),
        status
            .deployed()
            .map(
                d ->
                    d.revision().commit().substring(0, Math.min(7, d.revision().commit().length())))
            .orElse(""),
        status.sync().status().displayName(),
        status.health().health().displayName(),
        status.deployed().map(ApplicationStatus.Deployed::at),
        status
            .operation()
            .filter(o -> o.finishedAt().isEmpty())
            .map(
                o ->
                    "syncing "
                        + o.revision().requested()
                        + (o.step().isEmpty() ? "" : ", " + o.step())),
        promotion);
  }

  static int compareEnvironments(String a, String b) {
    int ia = DELIVERY_ORDER.indexOf(a);
    int ib = DELIVERY_ORDER.indexOf(b);
    if (ia >= 0 || ib >= 0) {
      return ia < 0 ? 1 : ib < 0 ? -1 : Integer.compare(ia, ib);
    }
    return a.compareTo(b);
  }

  /** {@code 45s}, {@code 12m}, {@code 3h}, {@code 2d}. */
  static String shortAge(Duration age) {
    long s = Math.max(0, age.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m";
    }
    if (s < 86400) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }
}
