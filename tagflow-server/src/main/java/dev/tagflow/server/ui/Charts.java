package dev.tagflow.server.ui;

import dev.tagflow.store.BuiltImage;
import dev.tagflow.store.HistoryEntry;
import dev.tagflow.store.ReleaseStore;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.SyncResult;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What the charts page draws, each chart also a table (what a screen reader reads, and what the
 * script draws from): deployment lead time (a run of a tag started → an application was Healthy
 * with its image), sync durations, and successful syncs per environment per day (UTC).
 */
public record Charts(List<LeadTime> leadTimes, List<SyncTime> syncTimes, Deployments perDay) {

  /** A release that reached an application, and how long after its run started. */
  public record LeadTime(
      Instant at, String application, String environment, String tag, Duration lead) {
    public long epochSeconds() {
      return at.getEpochSecond();
    }

    public String minutes() {
      return String.format(java.util.Locale.ROOT, "%.1f", lead.toMillis() / 60000.0);
    }
  }

  /** One ended sync and how long it took. */
  public record SyncTime(Instant at, String application, String result, Duration took) {
    public long epochSeconds() {
      return at.getEpochSecond();
    }

    public String seconds() {
      return String.format(java.util.Locale.ROOT, "%.1f", took.toMillis() / 1000.0);
    }
  }

  /**
   * Successful syncs per day (UTC) and environment.
   *
   * @param environments the columns, in delivery order
   * @param days the rows, oldest first
   */
  public record Deployments(List<String> environments, List<Day> days) {}

  /** One day's count per environment, in the order of the environments. */
  public record Day(LocalDate day, List<Integer> counts) {
    public long epochSeconds() {
      return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }
  }

  /** A sync of an application, with the environment it belongs to. */
  public record Sync(String environment, HistoryEntry entry) {}

  /**
   * Builds the charts.
   *
   * @param images the images runs pushed
   * @param runs the run of an image, by run id
   * @param deployments the applications that ran an image, by digest
   * @param environmentOf an application's environment
   * @param syncs syncs of every application
   */
  public static Charts of(
      List<BuiltImage> images,
      Function<String, Optional<RunRecord>> runs,
      Function<String, List<ReleaseStore.Deployment>> deployments,
      Function<String, String> environmentOf,
      List<Sync> syncs) {
    List<LeadTime> leads = new ArrayList<>();
    for (BuiltImage image : images) {
      Optional<RunRecord> run = runs.apply(image.runId());
      if (run.isEmpty()) {
        continue;
      }
      for (ReleaseStore.Deployment d : deployments.apply(image.digest())) {
        Duration lead = Duration.between(run.get().started(), d.syncedAt());
        if (!lead.isNegative()) {
          leads.add(
              new LeadTime(
                  d.syncedAt(),
                  d.application(),
                  environmentOf.apply(d.application()),
                  image.refName(),
                  lead));
        }
      }
    }
    leads.sort(Comparator.comparing(LeadTime::at));
    List<SyncTime> times = new ArrayList<>();
    TreeSet<String> environments = new TreeSet<>(Board::compareEnvironments);
    Map<LocalDate, Map<String, Integer>> byDay = new TreeMap<>();
    for (Sync sync : syncs) {
      var record = sync.entry().sync();
      if (record.finishedAt().isEmpty() || record.result() == SyncResult.RUNNING) {
        continue;
      }
      times.add(
          new SyncTime(
              record.startedAt(),
              sync.entry().application(),
              record.result() == SyncResult.SUCCEEDED ? "succeeded" : "failed",
              Duration.between(record.startedAt(), record.finishedAt().get())));
      if (record.result() == SyncResult.SUCCEEDED) {
        environments.add(sync.environment());
        byDay
            .computeIfAbsent(
                LocalDate.ofInstant(record.finishedAt().get(), ZoneOffset.UTC),
                d -> new TreeMap<>())
            .merge(sync.environment(), 1, Integer::sum);
      }
    }
    times.sort(Comparator.comparing(SyncTime::at));
    List<String> columns = List.copyOf(environments);
    List<Day> days = new ArrayList<>();
    byDay.forEach(
        (day, counts) ->
            days.add(new Day(day, columns.stream().map(e -> counts.getOrDefault(e, 0)).toList())));
    return new Charts(leads, times, new Deployments(columns, days));
  }
}
