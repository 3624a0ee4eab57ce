package dev.tagflow.server.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The policy language: parsing with line:column, matching, deny wins, default nothing. */
class PolicyTest {

  private static final Permission SYNC = new Permission("applications", "sync");
  private static final Permission ROLLBACK = new Permission("applications", "rollback");
  private static final Permission APPROVE = new Permission("promotions", "approve");
  private static final Permission AUDIT = new Permission("audit", "get");

  private static Policy parse(String text) {
    return switch (PolicyParser.parse("test.csv", text)) {
      case PolicyParser.Result.Parsed parsed -> parsed.policy();
      case PolicyParser.Result.Refused refused ->
          throw new AssertionError("refused: " + refused.errors());
    };
  }

  private static List<PolicyError> errors(String text) {
    return switch (PolicyParser.parse("test.csv", text)) {
      case PolicyParser.Result.Parsed parsed -> throw new AssertionError("parsed: " + text);
      case PolicyParser.Result.Refused refused -> refused.errors();
    };
  }

  @Test
  void nothingIsAllowedByDefault() {
    Policy policy = parse("# nothing\n\n");
    assertThat(policy.allows(Set.of("alice"), SYNC, "shop/dev/web")).isFalse();
  }

  @Test
  void aGrantGivesTheRoleAndRolesInheritTransitively() {
    Policy policy =
        parse(
            """
            p, role:ops, applications, sync, shop/*, allow
            g, role:lead, role:ops
            g, alice, role:lead
            """);
    assertThat(policy.allows(Set.of("alice"), SYNC, "shop/production/web")).isTrue();
    assertThat(policy.allows(Set.of("alice"), SYNC, "bank/production/web")).isFalse();
    assertThat(policy.allows(Set.of("bob"), SYNC, "shop/production/web")).isFalse();
    assertThat(policy.allows(Set.of("alice"), ROLLBACK, "shop/production/web")).isFalse();
  }

  @Test
  void denyWinsOverEveryAllowWhateverTheOrder() {
    Policy policy =
        parse(
            """
            p, alice, applications, sync, shop/production/*, deny
            p, role:admin, *, *, *, allow
            g, alice, role:admin
            """);
    assertThat(policy.allows(Set.of("alice"), SYNC, "shop/production/web")).isFalse();
    assertThat(policy.allows(Set.of("alice"), SYNC, "shop/staging/web")).isTrue();
  }

  @Test
  void aGrantCycleEndsAndGrantsWhatItReaches() {
    Policy policy =
        parse(
            """
            g, role:a, role:b
            g, role:b, role:a
            g, alice, role:a
            p, role:b, audit, get, *, allow
            """);
    assertThat(policy.allows(Set.of("alice"), AUDIT, "*")).isTrue();
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource({
    "*, shop/dev/web, true",
    "shop/*, shop/dev/web, true",
    "shop/*, shop, false",
    "shop/*, bank/dev/web, false",
    "*/production/*, shop/production/web, true",
    "*/production/*, shop/production-eu/web, false",
    "*/!production/*, shop/staging/web, true",
    "*/!production/*, shop/production/web, false",
    "shop/prod*/web, shop/production/web, true",
    "shop/dev/web, shop/dev/web, true",
    "shop/dev/web, shop/dev/web/x, false",
    "shop/dev/web, shop/dev, false",
    "*, '', true",
  })
  void objectPatternsMatchSegmentBySegment(String pattern, String object, boolean matches) {
    assertThat(ObjectPattern.of(pattern).matches(object)).isEqualTo(matches);
  }

  @Test
  void theBuiltInRolesSayWhoMayChangeProduction() {
    Authorizer authorizer = Authorizer.builtinOnly();
    for (String env : List.of("dev", "staging")) {
      assertThat(authorizer.allows(Set.of("role:deployer"), SYNC, "shop/" + env + "/web")).isTrue();
    }
    assertThat(authorizer.allows(Set.of("role:viewer"), SYNC, "shop/dev/web")).isFalse();
    for (Permission p : List.of(SYNC, ROLLBACK, APPROVE)) {
      assertThat(authorizer.allows(Set.of("role:deployer"), p, "shop/production/web"))
          .as("deployer " + p)
          .isFalse();
      assertThat(authorizer.allows(Set.of("role:release-manager"), p, "shop/production/web"))
          .as("release-manager " + p)
          .isTrue();
      assertThat(authorizer.allows(Set.of("role:admin"), p, "shop/production/web")).isTrue();
    }
    // Holding both deployer and release-manager still allows production: no deny is involved.
    assertThat(
            authorizer.allows(
                Set.of("role:deployer", "role:release-manager"), SYNC, "shop/production/web"))
        .isTrue();
    assertThat(authorizer.allows(Set.of("admin"), new Permission("tokens", "create"), "*"))
        .isTrue();
    assertThat(authorizer.allows(Set.of("nobody"), AUDIT, "*")).isFalse();
  }

  @Test
  void errorsNameLineColumnAndReason() {
    List<PolicyError> errors =
        errors(
            """
            # a comment
            p, role:x, aplications, get, *, allow
            p, role:x, applications, deploy, *, allow
            p, role:x, applications, get, *, permit
            p, role:x, applications, get, *
            q, alice, role:x
            g, alice
            p, role x, applications, get, *, allow
            p, , applications, get, *, allow
            """);
    assertThat(errors)
        .extracting(PolicyError::message)
        .containsExactly(
            "test.csv:2:12: no resource 'aplications'; known: * applications promotions releases"
                + " runs repositories clusters secrets audit tokens users",
            "test.csv:3:26: no action 'deploy' on applications; known: * get refresh rollback"
                + " sync",
            "test.csv:4:34: the effect is 'allow' or 'deny', not 'permit'",
            "test.csv:5:1: a 'p' line has 6 fields (p, subject, resource, action, object,"
                + " allow|deny), this one 5",
            "test.csv:6:1: a line starts with 'p' (a permission) or 'g' (a grant), not 'q'",
            "test.csv:7:1: a 'g' line has 3 fields (g, user-or-group, role), this one 2",
            "test.csv:8:8: a field holds a space or control character; fields are single words"
                + " separated by commas",
            "test.csv:9:3: an empty field");
  }

  @Test
  void hostileInputIsRefusedNotCrashedOn() {
    assertThat(errors("p" + ",x".repeat(100_000))).hasSize(1);
    assertThat(errors("p, a\u0000b, audit, get, *, allow").getFirst().reason())
        .contains("control character");
    assertThat(errors("p, \"alice\", audit, get, *, allow").getFirst().reason()).contains("quote");
    assertThat(errors("x".repeat(PolicyParser.MAX_CHARS + 1)).getFirst().reason())
        .contains("at most");
    // Many bad lines: the first twenty are reported, not a million.
    assertThat(errors("q\n".repeat(10_000))).hasSize(20);
  }

  @Test
  void aBadReloadKeepsTheLastGoodPolicy() {
    Authorizer authorizer = Authorizer.withConfigured("first", "g, alice, role:deployer");
    assertThat(authorizer.allows(Set.of("alice"), SYNC, "shop/dev/web")).isTrue();

    assertThat(authorizer.reload("second", "g, alice, role:deployer\np, bad"))
        .hasValueSatisfying(why -> assertThat(why).contains("second:2:1"));
    assertThat(authorizer.allows(Set.of("alice"), SYNC, "shop/dev/web")).isTrue();

    assertThat(authorizer.reload("third", "g, bob, role:deployer")).isEmpty();
    assertThat(authorizer.allows(Set.of("alice"), SYNC, "shop/dev/web")).isFalse();
    assertThat(authorizer.allows(Set.of("bob"), SYNC, "shop/dev/web")).isTrue();
  }

  @Test
  void aBadPolicyAtStartIsRefusedWithItsPlace() {
    assertThatThrownBy(() -> Authorizer.withConfigured("tagflow.yaml rbac.policy", "g, alice"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("tagflow.yaml rbac.policy:1:1: a 'g' line has 3 fields");
  }

  @Test
  void permissionsOutsideTheCatalogCannotBeDeclared() {
    assertThatThrownBy(() -> Permission.of("applications/deploy"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Permission.of("sync")).isInstanceOf(IllegalArgumentException.class);
  }
}
