package dev.tagflow.server.ui;

import dev.tagflow.cluster.ObjectRef;
import dev.tagflow.diff.FieldDrift;
import dev.tagflow.diff.ResourceDiff;
import dev.tagflow.reconcile.SyncReport;
import java.util.List;
import java.util.Optional;

/**
 * The diff page's model: each object of an application compared with the cluster now, the changed
 * ones as side-by-side rows with the manager of each changed field. Secret values arrive masked
 * from the differ ({@link dev.tagflow.diff.SecretMask}); nothing here unmasks them.
 *
 * @param application the application's name
 * @param revision the revision compared, as {@code main (1a2b3c4d5e6f)}
 * @param objects one entry per object, the differing ones first
 * @param failure why the comparison stopped before comparing objects (Git unreadable, a render that
 *     failed), or empty
 */
public record ApplicationDiff(
    String application, String revision, List<ObjectDiff> objects, Optional<String> failure) {

  /**
   * One object.
   *
   * @param object which
   * @param state InSync, OutOfSync, Missing, Extra or Unknown
   * @param note a sentence for the states without rows (why unknown, what a sync would do)
   * @param rows the side-by-side diff: live against desired
   * @param fields the changed fields and who changed them
   */
  public record ObjectDiff(
      ObjectRef object, String state, String note, SideBySide rows, List<FieldDrift> fields) {

    /** The anchor of the object on the page, e.g. {@code Deployment-shop-web}. */
    public String anchor() {
      return anchorOf(object);
    }

    public boolean differs() {
      return !state.equals("InSync");
    }
  }

  /** The anchor of an object on the diff page, e.g. {@code Deployment-shop-web}. */
  public static String anchorOf(ObjectRef object) {
    return (object.kind() + "-" + object.namespace() + "-" + object.name())
        .replaceAll("[^A-Za-z0-9_-]", "-");
  }

  /** The page of a comparison's report. */
  public static ApplicationDiff of(String application, SyncReport report) {
    List<ObjectDiff> objects =
        report.diffs().stream()
            .map(ApplicationDiff::object)
            // Differing objects first; within each, the order of the comparison.
            .sorted((a, b) -> Boolean.compare(b.differs(), a.differs()))
            .toList();
    return new ApplicationDiff(
        application, report.revisionText(), objects, report.failure().map(f -> f.message()));
  }

  static ObjectDiff object(ResourceDiff diff) {
    SideBySide none = new SideBySide(List.of());
    return switch (diff) {
      case ResourceDiff.InSync d -> new ObjectDiff(d.object(), "InSync", "", none, List.of());
      case ResourceDiff.OutOfSync d ->
          new ObjectDiff(
              d.object(),
              "OutOfSync",
              d.fields().isEmpty() ? "the fields that differ are not known one by one" : "",
              SideBySide.of(d.unifiedDiff()),
              d.fields());
      case ResourceDiff.Missing d ->
          new ObjectDiff(
              d.object(),
              "Missing",
              "not in the cluster: a sync creates it",
              SideBySide.of(addedOnly(d.desiredYaml())),
              List.of());
      case ResourceDiff.Extra d ->
          new ObjectDiff(
              d.object(),
              "Extra",
              "no longer in Git: a sync with prune deletes it",
              none,
              List.of());
      case ResourceDiff.Unknown d ->
          new ObjectDiff(d.object(), "Unknown", d.reason(), none, List.of());
    };
  }

  /** A whole object as added lines, so a missing one shows on the desired side only. */
  private static String addedOnly(String yaml) {
    String[] lines = yaml.split("\n");
    StringBuilder out = new StringBuilder("@@ -0,0 +1," + lines.length + " @@\n");
    for (String line : lines) {
      out.append('+').append(line).append('\n');
    }
    return out.toString();
  }
}
