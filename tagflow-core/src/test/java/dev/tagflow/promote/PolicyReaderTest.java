package dev.tagflow.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.yaml.YamlLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyReaderTest {

  private final PolicyReader reader = new PolicyReader(YamlLimits.defaults());

  static String examplePolicy() {
    try (InputStream in = PolicyReaderTest.class.getResourceAsStream("/promote/policy.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private EnvironmentPolicy example() {
    return reader.read("environments/policy.yaml", examplePolicy());
  }

  private static ReleaseRef tag(String tag) {
    return ReleaseRef.ofTag("web", tag, "a".repeat(40));
  }

  private static ReleaseRef branch(String branch) {
    return new ReleaseRef(
        "web",
        new ReleaseRef.Branch(branch),
        "main-aaaaaaa",
        "a".repeat(40),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private PolicyVerdict check(String environment, ReleaseRef release) {
    EnvironmentPolicy policy = example();
    return policy.check(policy.require(environment), release);
  }

  @Test
  void readsEnvironmentsInOrderWithTheirPromotionAndWindows() {
    EnvironmentPolicy policy = example();

    assertThat(policy.environments())
        .extracting(Environment::name)
        .containsExactly("dev", "staging", "production");
    Environment production = policy.require("production");
    assertThat(production.promotion())
        .isEqualTo(new Environment.Approval(2, List.of("release-manager", "sre")));
    assertThat(production.after()).contains("staging");
    assertThat(production.syncWindows())
        .containsExactly(
            new Environment.SyncWindow(
                Environment.SyncWindow.Kind.DENY,
                "0 18 * * 5",
                Duration.ofHours(62),
                ZoneId.of("Europe/Berlin"),
                false));
    assertThat(policy.require("dev").promotion()).isEqualTo(new Environment.Automatic());
  }

  @Test
  void devTakesTagsAndBranchBuilds() {
    assertThat(check("dev", tag("v1.3.0-rc.1"))).isInstanceOf(PolicyVerdict.Accepted.class);
    assertThat(check("dev", branch("main"))).isInstanceOf(PolicyVerdict.Accepted.class);
    assertThat(check("dev", branch("feature/x"))).isInstanceOf(PolicyVerdict.Refused.class);
  }

  @Test
  void stagingRefusesPrereleases() {
    assertThat(check("staging", tag("v1.2.3"))).isInstanceOf(PolicyVerdict.Accepted.class);
    PolicyVerdict.Refused refused = (PolicyVerdict.Refused) check("staging", tag("v1.3.0-rc.1"));
    assertThat(refused.message())
        .startsWith(
            "v1.3.0-rc.1 is refused for staging by the rule tags v*, versions without prerelease at"
                + " environments/policy.yaml:12:9: 1.3.0-rc.1 is a prerelease (rc.1)");
  }

  @Test
  void productionTakesVersionedTagsOnlyAndNamesTheRuleThatRefused() {
    assertThat(check("production", tag("v1.2.3"))).isInstanceOf(PolicyVerdict.Accepted.class);
    assertThat(check("production", tag("prod-v1.2.3"))).isInstanceOf(PolicyVerdict.Accepted.class);
    assertThat(check("production", tag("prod-v1.3.0-rc.1")))
        .isInstanceOf(PolicyVerdict.Accepted.class);

    PolicyVerdict.Refused rc = (PolicyVerdict.Refused) check("production", tag("v1.3.0-rc.1"));
    assertThat(rc.rule().orElseThrow().where()).isEqualTo("environments/policy.yaml:18:9");
    assertThat(rc.message())
        .contains(
            "v1.3.0-rc.1 is refused for production by the rule tags v*, versions without"
                + " prerelease at environments/policy.yaml:18:9: 1.3.0-rc.1 is a prerelease")
        .contains("Nothing was written");

    PolicyVerdict.Refused named = (PolicyVerdict.Refused) check("production", tag("vnext"));
    assertThat(named.message()).contains("'next' after v is not a version");
    PolicyVerdict.Refused other = (PolicyVerdict.Refused) check("production", tag("release-7"));
    assertThat(other.rule()).isEmpty();
    assertThat(other.message())
        .contains("no accept rule at environments/policy.yaml:15:5 takes it")
        .contains("release-7 does not match prod-v*");
    assertThat(check("production", branch("main"))).isInstanceOf(PolicyVerdict.Refused.class);
  }

  @Test
  void reportsEveryMistakeWithItsPlace() {
    String text =
        """
        apiVersion: tagflow.dev/v1
        kind: EnvironmentPolicy
        environments:
          - name: Dev
            accept: []
            promotion: sometimes
          - name: production
            after: staging
            accept:
              - {tags: "v*", branches: main}
              - {tags: "v[1", colour: blue}
            promotion: {approval: {required: 0}}
            syncWindows:
              - {kind: maybe, schedule: "61 * * *", duration: soon, timeZone: Mars/Olympus}
        """;
    assertThatThrownBy(() -> reader.read("policy.yaml", text))
        .isInstanceOf(TagflowException.class)
        .hasMessageStartingWith("policy.yaml has 13 mistakes, and no promotion or sync uses it")
        .hasMessageContaining(
            "policy.yaml:1:13: apiVersion is 'tagflow.dev/v1'; write apiVersion: tagflow.dev/v1alpha1")
        .hasMessageContaining("policy.yaml:4:11: 'Dev' is not an environment name")
        .hasMessageContaining("policy.yaml:5:13: environment Dev needs accept:")
        .hasMessageContaining("policy.yaml:6:16: promotion is auto, or {approval:")
        .hasMessageContaining("policy.yaml:10:9: an accept rule names either tags: or branches:")
        .hasMessageContaining("policy.yaml:11:16: the pattern v[1 opens a '['")
        .hasMessageContaining("policy.yaml:11:23: unknown field colour")
        .hasMessageContaining("policy.yaml:12:38: approval.required must be a number")
        .hasMessageContaining(
            "policy.yaml:14:16: a sync window's kind is allow or deny: write kind: deny (no sync"
                + " while it is open) or kind: allow (syncs only while one is open), not 'maybe'")
        .hasMessageContaining("policy.yaml:14:33: '61 * * *' has 4 fields, not 5")
        .hasMessageContaining(
            "policy.yaml:14:55: duration must be a positive duration such as 1h30m or 45m, not"
                + " 'soon'")
        .hasMessageContaining("policy.yaml:14:71: 'Mars/Olympus' is not a time zone")
        .hasMessageContaining(
            "policy.yaml:7:5: production is after 'staging', which is not an environment listed"
                + " before it");
  }

  @Test
  void anEnvironmentOthersComeAfterMustNameItsApplications() {
    String text =
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: EnvironmentPolicy
        environments:
          - {name: staging, accept: [{tags: "v*"}], promotion: auto}
          - {name: production, after: staging, accept: [{tags: "v*"}], promotion: auto}
        """;
    assertThatThrownBy(() -> reader.read("policy.yaml", text))
        .hasMessageContaining(
            "policy.yaml:4:5: staging must name its applications (applications: [...]): production"
                + " takes a release only after they were Healthy with it");
  }

  @Test
  void refusesYamlThatIsNotYamlAndAliasBombs() {
    assertThatThrownBy(() -> reader.read("policy.yaml", "environments: [\n"))
        .hasMessageContaining("policy.yaml:2:1: not valid YAML");
    StringBuilder bomb = new StringBuilder("a0: &a0 [x, x]\n");
    for (int i = 1; i < 40; i++) {
      bomb.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1);
      bomb.append(", *a").append(i - 1).append("]\n");
    }
    assertThatThrownBy(() -> reader.read("policy.yaml", bomb.toString()))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("policy.yaml:");
    assertThatThrownBy(() -> reader.read("policy.yaml", ""))
        .hasMessageContaining("the policy is empty");
  }

  @Test
  void tagPatternsAreGlobsWhoseSetsAreNeverRegexSyntax() {
    assertThat(TagPattern.of("v[0-9]*").matches("v1.2.3")).isTrue();
    assertThat(TagPattern.of("v[0-9]*").matches("vnext")).isFalse();
    assertThat(TagPattern.of("v[!0-9]*").matches("vnext")).isTrue();
    assertThat(TagPattern.of("release/**").matches("release/a/b")).isTrue();
    assertThat(TagPattern.of("release/*").matches("release/a/b")).isFalse();
    assertThat(TagPattern.of("v?.0").matches("v1.0")).isTrue();
    assertThat(TagPattern.of("a[&&[b]]").matches("a&]")).isTrue();
    assertThat(TagPattern.of("a[.*]").matches("ab")).isFalse();
    assertThat(TagPattern.of("prod-v*").literalPrefix()).isEqualTo("prod-v");
    assertThatThrownBy(() -> TagPattern.of("v[9-0]")).hasMessageContaining("runs backwards");
    assertThatThrownBy(() -> TagPattern.of("v[]")).hasMessageContaining("empty set");
  }
}
