package dev.tagflow.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The project's windows and the environment's judged together ({@link SyncWindows#and}), as Argo CD
 * judges all the windows that apply to an application: generated pairs of window lists checked
 * against the rules written out here (deny wins; with allow windows anywhere, only inside one; a
 * person by manualSync), and the next opening and closing against a minute-by-minute walk.
 */
class CombinedWindowsTest {

  private static final List<ZoneId> ZONES =
      List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"), ZoneId.of("Asia/Kolkata"));
  // Daily and weekly starts: a year of boundaries stays small, so that the searches of the next
  // opening (done by every closed verdict) stay quick; SyncWindowsPropertyTest covers the
  // schedules with many starts a day.
  private static final String[] SCHEDULES = {
    "30 9 * * *", "0 22 * * *", "0 9 * * MON-FRI", "45 23 * * SUN", "0 0 1 * *", "15 8,13 * * *"
  };

  private final Random random = new Random(20261212);

  private SyncWindow window() {
    return new SyncWindow(
        random.nextBoolean() ? SyncWindow.Kind.ALLOW : SyncWindow.Kind.DENY,
        CronSchedule.parse(SCHEDULES[random.nextInt(SCHEDULES.length)]),
        Duration.ofMinutes(1 + random.nextInt(120)),
        ZONES.get(random.nextInt(ZONES.size())),
        random.nextInt(3) == 0);
  }

  private List<SyncWindow> windows(int max) {
    List<SyncWindow> out = new ArrayList<>();
    int n = random.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      out.add(window());
    }
    return out;
  }

  private Instant instant() {
    return Instant.parse("2026-03-27T00:00:00Z").plusSeconds(random.nextInt(10 * 24 * 3600));
  }

  /** The rules, written out from Argo CD's documentation, over both lists. */
  private static boolean expected(
      List<SyncWindow> project, List<SyncWindow> environment, Instant at, boolean manual) {
    List<SyncWindow> all = new ArrayList<>(project);
    all.addAll(environment);
    List<SyncWindow> openDenies =
        all.stream().filter(w -> w.kind() == SyncWindow.Kind.DENY && w.isOpen(at)).toList();
    List<SyncWindow> allows = all.stream().filter(w -> w.kind() == SyncWindow.Kind.ALLOW).toList();
    if (!openDenies.isEmpty()) {
      return manual && openDenies.stream().allMatch(SyncWindow::manualSync);
    }
    if (allows.isEmpty() || allows.stream().anyMatch(w -> w.isOpen(at))) {
      return true;
    }
    return manual && allows.stream().anyMatch(SyncWindow::manualSync);
  }

  @Test
  void theVerdictOfBothListsFollowsTheRulesAndDoesNotDependOnWhichListAWindowIsIn() {
    for (int i = 0; i < 60; i++) {
      List<SyncWindow> project = windows(3);
      List<SyncWindow> environment = windows(3);
      Instant at = instant();
      SyncWindows combined = new SyncWindows(project).and(new SyncWindows(environment));
      SyncWindows swapped = new SyncWindows(environment).and(new SyncWindows(project));
      for (boolean manual : new boolean[] {false, true}) {
        String what = project + " and " + environment + " at " + at + (manual ? " by hand" : "");
        boolean open = combined.verdict(at, manual) instanceof WindowVerdict.Open;
        assertThat(open).as(what).isEqualTo(expected(project, environment, at, manual));
        assertThat(swapped.verdict(at, manual) instanceof WindowVerdict.Open)
            .as(what)
            .isEqualTo(open);
      }
    }
  }

  @Test
  void aDenyWindowOfTheEnvironmentClosesWhatTheProjectsAllowWindowOpens() {
    Instant at = Instant.parse("2026-12-07T10:30:00Z"); // a Monday
    SyncWindows project =
        new SyncWindows(
            List.of(
                new SyncWindow(
                    SyncWindow.Kind.ALLOW,
                    CronSchedule.parse("0 9 * * MON-FRI"),
                    Duration.ofHours(8),
                    ZoneId.of("UTC"),
                    false)));
    SyncWindow freeze =
        new SyncWindow(
            SyncWindow.Kind.DENY,
            CronSchedule.parse("0 10 * * *"),
            Duration.ofHours(1),
            ZoneId.of("UTC"),
            false);
    assertThat(project.verdict(at, false)).isEqualTo(new WindowVerdict.Open(false));

    SyncWindows both = project.and(new SyncWindows(List.of(freeze)));
    assertThat(both.verdict(at, false))
        .isInstanceOfSatisfying(
            WindowVerdict.Closed.class,
            closed -> {
              assertThat(closed.why()).contains("deny window '0 10 * * *'");
              // Open again when the freeze ends, inside the project's allow window.
              assertThat(closed.opensAt()).contains(Instant.parse("2026-12-07T11:00:00Z"));
            });
    assertThat(both.verdict(at, true)).isInstanceOf(WindowVerdict.Closed.class);
    // Before the freeze: open, and it says when syncs close.
    assertThat(both.nextClosed(Instant.parse("2026-12-07T09:15:00Z")))
        .contains(Instant.parse("2026-12-07T10:00:00Z"));
    // The environment's allow window does not open what the project's deny closes, either.
    SyncWindows allowOnly =
        new SyncWindows(
            List.of(
                new SyncWindow(
                    SyncWindow.Kind.ALLOW,
                    CronSchedule.parse("* * * * *"),
                    Duration.ofHours(1),
                    ZoneId.of("UTC"),
                    false)));
    assertThat(new SyncWindows(List.of(freeze)).and(allowOnly).verdict(at, false))
        .isInstanceOf(WindowVerdict.Closed.class);
  }

  @Test
  void unreadableWindowsCloseEverySyncAPersonsTooAndSayWhatToFix() {
    String problem =
        "environments/policy.yaml:12:16: a sync window's kind is allow or deny: write kind: deny";
    SyncWindows windows = SyncWindows.none().and(SyncWindows.unreadable(problem));
    Instant at = Instant.parse("2026-12-07T10:30:00Z");
    for (boolean manual : new boolean[] {false, true}) {
      assertThat(windows.verdict(at, manual))
          .isInstanceOfSatisfying(
              WindowVerdict.Closed.class,
              closed -> {
                assertThat(closed.unreadable()).isTrue();
                assertThat(closed.opensAt()).isEmpty();
                assertThat(closed.message())
                    .isEqualTo(problem + "; syncs stay closed until the sync windows are fixed");
              });
    }
    assertThat(windows.nextAllowed(at)).isEmpty();
    assertThat(windows.nextClosed(at)).isEmpty();
    assertThat(SyncWindows.none().nextClosed(at)).isEmpty();
  }

  @Test
  void theNextOpeningAndClosingOfBothListsEqualAMinuteByMinuteWalk() {
    for (int i = 0; i < 20; i++) {
      List<SyncWindow> project = windows(2);
      List<SyncWindow> environment = windows(2);
      SyncWindows combined = new SyncWindows(project).and(new SyncWindows(environment));
      Instant at = instant();
      boolean openNow = expected(project, environment, at, false);
      Optional<Instant> change = Optional.empty();
      // Changes happen on whole minutes; the first minute after 'at' where the verdict differs.
      Instant t = at.plusSeconds(60 - at.getEpochSecond() % 60);
      for (int m = 0; m < 3 * 24 * 60; m++, t = t.plusSeconds(60)) {
        if (expected(project, environment, t, false) != openNow) {
          change = Optional.of(t);
          break;
        }
      }
      String what = project + " and " + environment + " at " + at;
      assertThat(combined.verdict(at, false) instanceof WindowVerdict.Open)
          .as(what)
          .isEqualTo(openNow);
      if (change.isEmpty()) {
        continue; // no change within three days: the searches would walk a year of boundaries
      }
      if (openNow) {
        assertThat(combined.nextAllowed(at)).as(what).contains(at);
        assertThat(combined.nextClosed(at)).as(what).isEqualTo(change);
      } else {
        assertThat(combined.nextClosed(at)).as(what).contains(at);
        assertThat(combined.nextAllowed(at)).as(what).isEqualTo(change);
      }
    }
  }
}
