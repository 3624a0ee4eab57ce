package dev.tagflow.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.cluster.ObjectJson;
import dev.tagflow.cluster.ObjectRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagedViewTest {

  private static final ObjectRef WEB = new ObjectRef("apps/v1", "Deployment", "shop", "web");
  private static final ObjectRef SETTINGS = new ObjectRef("v1", "ConfigMap", "shop", "settings");

  private final ManagedView views = new ManagedView();
  private final ObjectJson json = new ObjectJson();

  @Test
  void aFieldTheDryRunWouldTakeBackIsADifference() {
    ManagedView.Views result =
        views.compare(
            WEB,
            Fixtures.tree("deployment-live.yaml"),
            Fixtures.tree("deployment-dryrun.yaml"),
            "tagflow",
            List.of());

    assertThat(result.equal()).isFalse();
    String diff =
        UnifiedDiff.of(
            json.toYaml(result.live()), json.toYaml(result.desired()), "live", "desired");
    assertThat(diff).contains("-  replicas: 5").contains("+  replicas: 2");
    assertThat(diff).doesNotContain("team").doesNotContain("sidecar").doesNotContain("status");
  }

  @Test
  void aDifferenceAtAnIgnoredJsonPointerIsNotADifference() {
    ManagedView.Views result =
        views.compare(
            WEB,
            Fixtures.tree("deployment-live.yaml"),
            Fixtures.tree("deployment-dryrun.yaml"),
            "tagflow",
            List.of(IgnoreRule.pointers("apps", "Deployment", "/spec/replicas")));

    assertThat(result.equal()).isTrue();
  }

  @Test
  void aFieldOwnedByAnIgnoredManagerIsNotADifference() {
    ManagedView.Views result =
        views.compare(
            WEB,
            Fixtures.tree("deployment-live.yaml"),
            Fixtures.tree("deployment-dryrun.yaml"),
            "tagflow",
            List.of(IgnoreRule.managers("apps", "Deployment", "hpa-controller")));

    assertThat(result.equal()).isTrue();
  }

  @Test
  void anIgnoreRuleForAnotherKindChangesNothing() {
    ManagedView.Views result =
        views.compare(
            WEB,
            Fixtures.tree("deployment-live.yaml"),
            Fixtures.tree("deployment-dryrun.yaml"),
            "tagflow",
            List.of(IgnoreRule.pointers("apps", "StatefulSet", "/spec/replicas")));

    assertThat(result.equal()).isFalse();
  }

  @Test
  void aSecretDiffShowsWhichKeyChangedButNoValue() {
    ManagedView.Views result =
        views.compare(
            new ObjectRef("v1", "Secret", "shop", "db"),
            Fixtures.tree("secret-live.yaml"),
            Fixtures.tree("secret-dryrun.yaml"),
            "tagflow",
            List.of());

    String diff =
        UnifiedDiff.of(
            json.toYaml(result.live()), json.toYaml(result.desired()), "live", "desired");
    assertThat(result.equal()).isFalse();
    assertThat(diff)
        .contains("-  password: " + SecretMask.CHANGED_LIVE)
        .contains("+  password: " + SecretMask.CHANGED_DESIRED)
        .doesNotContain("b2xkLXBhc3N3b3Jk")
        .doesNotContain("bmV3LXBhc3N3b3Jk")
        .doesNotContain("YWRtaW4=");
    assertThat(json.toYaml(result.live())).contains("user: " + SecretMask.SAME);
  }

  @Test
  void aFieldTagflowWouldStopOwningIsADifferenceThoughItsValueStays() {
    ManagedView.Views result =
        views.compare(
            SETTINGS,
            Fixtures.tree("shared-live.yaml"),
            Fixtures.tree("shared-dryrun-dropped.yaml"),
            "tagflow",
            List.of());

    assertThat(result.equal()).isFalse();
    assertThat(
            UnifiedDiff.of(
                json.toYaml(result.live()), json.toYaml(result.desired()), "live", "desired"))
        .contains("-  b: ");
  }

  @Test
  void aFieldSomeoneElseSetToGitsValueIsADifferenceUntilTagflowOwnsIt() {
    // Read the other way round: live is the object where Tagflow owns only a, and Git now has b.
    ManagedView.Views result =
        views.compare(
            SETTINGS,
            Fixtures.tree("shared-dryrun-dropped.yaml"),
            Fixtures.tree("shared-live.yaml"),
            "tagflow",
            List.of());

    assertThat(result.equal()).isFalse();
  }

  @Test
  void anObjectTagflowOwnsExactlyAsTheDryRunWouldIsEqual() {
    ManagedView.Views result =
        views.compare(
            SETTINGS,
            Fixtures.tree("shared-live.yaml"),
            Fixtures.tree("shared-live.yaml"),
            "tagflow",
            List.of());

    assertThat(result.equal()).isTrue();
  }

  @Test
  void aFieldAnIgnoredManagerTookFromTagflowIsNoDifference() {
    // The autoscaler took /spec/replicas: Tagflow owns it in the dry-run, not in the live object.
    ManagedView.Views result =
        views.compare(
            WEB,
            Fixtures.tree("deployment-live.yaml"),
            Fixtures.tree("deployment-dryrun.yaml"),
            "tagflow",
            List.of(
                IgnoreRule.pointers("apps", "Deployment", "/spec/replicas"),
                IgnoreRule.managers("apps", "Deployment", "hpa-controller")));

    assertThat(result.equal()).isTrue();
  }
}
