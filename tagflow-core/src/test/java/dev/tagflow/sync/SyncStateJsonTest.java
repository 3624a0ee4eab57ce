package dev.tagflow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tagflow.TagflowException;
import dev.tagflow.apply.Action;
import dev.tagflow.apply.ChangeSet;
import dev.tagflow.apply.ChangeSetEntry;
import dev.tagflow.cluster.ClusterFailure;
import dev.tagflow.cluster.ObjectRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyncStateJsonTest {

  private static final String GOLDEN = "/sync/sync-state-v1.json";

  private final SyncStateJson format = new SyncStateJson();

  @Test
  void everyFieldSurvivesARoundTrip() {
    SyncState state = sample();

    SyncState read = format.read(format.write(state));

    assertThat(read).isEqualTo(state);
    // ObjectRef's equality leaves the API version out; the saved form must keep it all the same.
    assertThat(read.prune().orElseThrow())
        .extracting(t -> t.object().apiVersion())
        .containsExactly("v1", "rbac.authorization.k8s.io/v1");
    assertThat(read.changes().entries())
        .extracting(e -> e.object().apiVersion())
        .containsExactlyElementsOf(
            state.changes().entries().stream().map(e -> e.object().apiVersion()).toList());
  }

  @Test
  void aSyncThatHasNotDecidedItsPruneStaysUndecidedAndOneWithNothingToPruneStaysDecided() {
    SyncState undecided = SyncState.start("shop", "v1");
    SyncState nothingToPrune = undecided.planned(List.of(), ChangeSet.empty());

    assertThat(format.read(format.write(undecided)).prune()).isEmpty();
    assertThat(format.read(format.write(nothingToPrune)).prune()).contains(List.of());
  }

  @Test
  void theFormatIsTheGoldenFixture() throws IOException {
    String golden = golden();

    assertThat(new String(format.write(sample()), StandardCharsets.UTF_8)).isEqualTo(golden);
    assertThat(format.read(golden.getBytes(StandardCharsets.UTF_8))).isEqualTo(sample());
  }

  @Test
  void aStateOfALaterFormatVersionIsRefusedSayingSo() throws IOException {
    byte[] later =
        golden().replace("\"version\" : 1,", "\"version\" : 2,").getBytes(StandardCharsets.UTF_8);

    TagflowException e = catchThrowableOfType(TagflowException.class, () -> format.read(later));

    assertThat(e.getMessage())
        .isEqualTo(
            "cannot resume the sync: its saved state is format version 2, written by a newer"
                + " Tagflow, and this one reads versions up to 1; run the newer Tagflow, or start"
                + " the sync anew");
  }

  @Test
  void bytesThatAreNotASavedStateAreRefusedSayingWhy() throws IOException {
    assertThat(refusal("not json at all"))
        .startsWith("cannot resume the sync: its saved state is unreadable: it is not JSON");
    assertThat(refusal("{\"application\": \"shop\"}"))
        .endsWith("it has no format version (\"version\": 1)");
    assertThat(refusal(golden().replace("\"step\" : 2,", "\"step\" : 2, \"extra\" : true,")))
        .endsWith("the state has a field \"extra\" that format version 1 does not have");
    assertThat(refusal(golden().replace("\"UNAVAILABLE\"", "\"ON_FIRE\"")))
        .endsWith("\"failure\" is ON_FIRE, which format version 1 does not know");
    assertThat(refusal(golden().replace("\"stepApplied\" : true,\n", "")))
        .endsWith("\"stepApplied\" is missing");
  }

  private String refusal(String text) {
    return catchThrowableOfType(
            TagflowException.class, () -> format.read(text.getBytes(StandardCharsets.UTF_8)))
        .getMessage();
  }

  /** A state with every field set, each kind of entry, and a failure of each sort. */
  private static SyncState sample() {
    ObjectRef web = new ObjectRef("apps/v1", "Deployment", "shop", "web");
    ObjectRef settings = new ObjectRef("v1", "ConfigMap", "shop", "settings");
    ObjectRef migrate = new ObjectRef("batch/v1", "Job", "shop", "migrate-x7k2p");
    return new SyncState(
        "shop",
        "v1.2.3 (3f2a9c1)",
        SyncStatus.RUNNING,
        Optional.of(
            List.of(
                new PruneTarget(new ObjectRef("v1", "ConfigMap", "shop", "old"), 0),
                new PruneTarget(
                    new ObjectRef("rbac.authorization.k8s.io/v1", "ClusterRole", "", "reader"),
                    3))),
        2,
        true,
        Instant.parse("2026-11-29T10:15:30.123456789Z"),
        new ChangeSet(
            List.of(
                new ChangeSetEntry(migrate, Action.CREATED, "PreSync hook started"),
                new ChangeSetEntry(migrate, Action.DELETED, "hook succeeded; deleted"),
                new ChangeSetEntry(settings, Action.UNCHANGED, ""),
                new ChangeSetEntry(web, Action.CONFIGURED, "recreated: an immutable field changed"),
                new ChangeSetEntry(
                    new ObjectRef("v1", "ConfigMap", "shop", "kept"),
                    Action.SKIPPED,
                    "annotated tagflow.dev/prune: \"false\"; kept"),
                new ChangeSetEntry(
                    new ObjectRef("v1", "Secret", "shop", "token"),
                    Action.FAILED,
                    "could not apply it: the API server could not be reached: connection refused",
                    Optional.of(ClusterFailure.UNAVAILABLE)),
                new ChangeSetEntry(
                    new ObjectRef("v1", "Service", "shop", "web"),
                    Action.FAILED,
                    "unexpected error: java.lang.IllegalStateException: ✗ «quoted»",
                    Optional.empty()))),
        Map.of("batch/Job/shop/migrate-", "migrate-x7k2p", "/Pod/shop/probe-", "probe-q8z"),
        Optional.of("wave 1 failed: Secret/shop/token failed (unavailable: …)"),
        "wave 1 failed: Secret/shop/token failed; running the SyncFail hooks");
  }

  private static String golden() throws IOException {
    try (InputStream in = SyncStateJsonTest.class.getResourceAsStream(GOLDEN)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
