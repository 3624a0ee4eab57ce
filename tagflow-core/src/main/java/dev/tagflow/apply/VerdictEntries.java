package dev.tagflow.apply;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The entries a wave's verdicts come to when nothing of it is sent: refused, or a dry-run. */
final class VerdictEntries {

  // Logged as the manager's: a refusal is one of its events.
  private static final Logger log = LoggerFactory.getLogger(ResourceManager.class);

  private VerdictEntries() {}

  /**
   * The entries of a refused wave: every refusal, each unchanged object as unchanged, and every
   * other object skipped, since nothing of the wave was sent.
   */
  static ChangeSet refused(List<Verdict> verdicts, String what, ApplyOptions options) {
    long count = verdicts.stream().filter(v -> v instanceof Verdict.Refused).count();
    String why =
        "not applied: "
            + what
            + " changes all or nothing, and "
            + count
            + (count == 1 ? " object of it was" : " objects of it were")
            + " refused";
    List<ChangeSetEntry> entries = new ArrayList<>();
    for (Verdict verdict : verdicts) {
      entries.add(
          switch (verdict) {
            case Verdict.Refused refused -> {
              log.warn(
                  "application={} object={} refused: {}",
                  options.application(),
                  refused.object(),
                  refused.entry());
              yield refused.entry();
            }
            case Verdict.Unchanged unchanged ->
                new ChangeSetEntry(unchanged.object(), Action.UNCHANGED, "");
            default -> new ChangeSetEntry(verdict.object(), Action.SKIPPED, why);
          });
    }
    return new ChangeSet(entries);
  }

  /** What a dry-run reports for each verdict of a valid wave. */
  static List<ChangeSetEntry> dryRun(List<Verdict> verdicts) {
    return verdicts.stream()
        .map(
            verdict ->
                switch (verdict) {
                  case Verdict.Unchanged unchanged ->
                      new ChangeSetEntry(unchanged.object(), Action.UNCHANGED, "");
                  case Verdict.Send send ->
                      new ChangeSetEntry(send.object(), send.action(), "dry-run");
                  case Verdict.Replace replace ->
                      new ChangeSetEntry(
                          replace.object(),
                          Action.CONFIGURED,
                          "dry-run; would be recreated: an immutable field changed");
                  case Verdict.Deferred deferred -> deferred.dryRun();
                  case Verdict.Refused refused -> refused.entry();
                })
        .toList();
  }
}
