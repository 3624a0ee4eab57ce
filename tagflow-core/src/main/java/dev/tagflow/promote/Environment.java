package dev.tagflow.promote;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One environment of the policy: the releases it takes, how a promotion to it is approved, which
 * environment must have run a release well first, and when it may be synced.
 *
 * @param name as in {@code environments/<name>/values.yaml}
 * @param where where the environment is written in the policy file
 * @param accept the rules; a release any of them takes is accepted
 * @param promotion automatic, or by approval
 * @param after the environment that must have been Healthy with the same release first
 * @param applications the applications that run this environment, whose health says whether it runs
 *     a release well (needed when another environment is {@code after} this one)
 * @param syncWindows when the environment may be synced (enforced by the server)
 */
public record Environment(
    String name,
    String where,
    List<AcceptRule> accept,
    Promotion promotion,
    Optional<String> after,
    List<String> applications,
    List<SyncWindow> syncWindows) {

  public Environment {
    Objects.requireNonNull(name, "name");
    accept = List.copyOf(accept);
    Objects.requireNonNull(promotion, "promotion");
    Objects.requireNonNull(after, "after");
    applications = List.copyOf(applications);
    syncWindows = List.copyOf(syncWindows);
  }

  /** The environment's sync windows, as the controller judges them. */
  public dev.tagflow.schedule.SyncWindows windows() {
    return new dev.tagflow.schedule.SyncWindows(
        syncWindows.stream().map(SyncWindow::window).toList());
  }

  /** The values file of the environment in the environment repository. */
  public String valuesFile() {
    return "environments/" + name + "/values.yaml";
  }

  /** How a promotion is decided. */
  public sealed interface Promotion {}

  /** A promotion is written as soon as the policy accepts it. */
  public record Automatic() implements Promotion {}

  /**
   * A promotion waits for {@code required} distinct people, none the release's author, each with
   * one of {@code roles} (any role when empty).
   */
  public record Approval(int required, List<String> roles) implements Promotion {
    public Approval {
      roles = List.copyOf(roles);
    }
  }

  /**
   * When syncs are allowed ({@code allow}) or not ({@code deny}), as Argo CD's sync windows.
   *
   * @param schedule a cron expression of five fields (minute hour day-of-month month weekday)
   * @param duration how long the window stays open from each start
   * @param timeZone the schedule's time zone
   * @param manualSync whether a person may still sync by hand during a deny window
   */
  public record SyncWindow(
      Kind kind, String schedule, Duration duration, ZoneId timeZone, boolean manualSync) {

    public enum Kind {
      ALLOW,
      DENY
    }

    /** The window as the controller judges it (the schedule was checked when it was read). */
    public dev.tagflow.schedule.SyncWindow window() {
      return new dev.tagflow.schedule.SyncWindow(
          kind == Kind.ALLOW
              ? dev.tagflow.schedule.SyncWindow.Kind.ALLOW
              : dev.tagflow.schedule.SyncWindow.Kind.DENY,
          dev.tagflow.schedule.CronSchedule.parse(schedule),
          duration,
          timeZone,
          manualSync);
    }
  }
}
