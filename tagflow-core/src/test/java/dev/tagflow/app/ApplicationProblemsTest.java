package dev.tagflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tagflow.TagflowException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationProblemsTest {

  private final AppFixtures fixtures = new AppFixtures();

  @Test
  void anUnknownFieldIsNamedWithItsPlaceTheClosestFieldAndTheAllowedOnes() {
    InvalidApplicationException e = fixtures.problemsOf("errors/unknown-field.yaml");

    assertThat(e.getMessage())
        .isEqualTo(
            "errors/unknown-field.yaml:7:5: unknown field 'targetRevison' in spec.source; did you"
                + " mean 'targetRevision'? (allowed: repoURL, targetRevision, path, directory,"
                + " helm, kustomize)");
    assertThat(e.reason()).isEqualTo(TagflowException.Reason.INVALID_INPUT);
  }

  @Test
  void aValueOfTheWrongTypeIsNamedWithWhatWasExpected() {
    InvalidApplicationException e = fixtures.problemsOf("errors/wrong-type.yaml");

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "errors/wrong-type.yaml:9:24: spec.syncPolicy.automated.prune must be true or false,"
                + " not 'sometimes'",
            "errors/wrong-type.yaml:10:18: spec.syncPolicy.syncOptions must be a list of text"
                + " ([a, b]), not 'CreateNamespace=true'",
            "errors/wrong-type.yaml:11:20: spec.syncPolicy.retry.limit must be a whole number, not"
                + " 'five'");
    assertThat(e.getMessage()).startsWith("3 problems in errors/wrong-type.yaml:\n  ");
  }

  @Test
  void aMissingRequiredFieldIsNamedWithAnExample() {
    InvalidApplicationException e = fixtures.problemsOf("errors/missing-required.yaml");

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "errors/missing-required.yaml:5:3: missing required field spec.destination (e.g."
                + " destination: {cluster: local, namespace: web-prod})",
            "errors/missing-required.yaml:6:5: missing required field spec.source.repoURL (e.g."
                + " http://127.0.0.1:7070/git/environments.git)");
  }

  @Test
  void invalidNamesDurationsRangesOptionsAndPointersAreEachReportedWhereTheyAre() {
    InvalidApplicationException e = fixtures.problemsOf("errors/invalid-values.yaml");

    assertThat(e.problems())
        .extracting(p -> p.line() + ":" + p.column() + " " + p.message())
        .containsExactly(
            "3:18 metadata.name 'Web_Production' must be lower-case letters, digits, '-' and"
                + " '.', each '.'-separated part starting and ending with a letter or digit (e.g."
                + " web-production or example.guestbook)",
            "7:21 spec.source.targetRevision '>=1.2 <<2' is neither a branch, tag or commit nor a"
                + " valid semver range (e.g. \">=1.2.0 <2.0.0\", \"^1.2\", \"1.2.x\")",
            "10:19 spec.syncPolicy.syncOptions: CreateNamespace must be true or false, not 'yes'",
            "10:40 spec.syncPolicy.syncOptions: unknown sync option 'Prune'; known:"
                + " CreateNamespace, PruneLast, Replace, Force, ServerSideApply, Validate,"
                + " ApplyOutOfSyncOnly, PrunePropagationPolicy, FailOnSharedResource,"
                + " RespectIgnoreDifferences",
            "11:49 spec.syncPolicy.rollback.healthTimeout must be a duration (e.g. 30s, 5m,"
                + " 1h30m), not '5 minutes'",
            "13:41 spec.ignoreDifferences[0].jsonPointers: 'spec/replicas' is not a JSON pointer;"
                + " they start with '/' (e.g. /spec/replicas)");
  }

  @Test
  void brokenYamlIsReportedWhereTheParserStopped() {
    InvalidApplicationException e = fixtures.problemsOf("errors/not-yaml.yaml");

    assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(4));
    assertThat(e.getMessage())
        .startsWith("errors/not-yaml.yaml:4:5: not valid YAML: while parsing a flow mapping")
        .contains("line 3");
  }

  @Test
  void aDocumentThatIsNotAnApplicationIsRefused() {
    assertThat(fixtures.problemsOf("errors/not-an-application.yaml").getMessage())
        .isEqualTo(
            "errors/not-an-application.yaml:1:13: apiVersion 'apps/v1' is not an Application's;"
                + " use tagflow.dev/v1alpha1 or argoproj.io/v1alpha1");
  }

  @Test
  void twoSourceTypesAndTwoApplicationsOfOneNameAreRefused() {
    assertThat(fixtures.problemsOf("errors/two-types.yaml").problems())
        .extracting(Problem::toString)
        .containsExactly(
            "errors/two-types.yaml:8:5: spec.source gives helm and kustomize; choose one of"
                + " directory, helm, kustomize",
            "errors/two-types.yaml:11:1: a second Application named 'web' (the first is at line"
                + " 1)");
  }

  @Test
  void aDuplicateFieldIsAProblemRatherThanTheLastOneWinning() {
    String yaml =
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: web}
        spec:
          source: {repoURL: https://example.com/r.git}
          destination: {cluster: local}
          destination: {cluster: other}
        """;

    assertThat(fixtures.messageFor("d.yaml", yaml))
        .isEqualTo("d.yaml:7:3: duplicate field spec.destination");
  }

  @Test
  void aRollbackHealthTimeoutTooShortForAnyRolloutIsRefused() {
    String yaml =
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: web}
        spec:
          source: {repoURL: https://example.com/r.git}
          destination: {cluster: local, namespace: web}
          syncPolicy:
            rollback: {onDegraded: true, healthTimeout: 0s, revertCommit: tomorrow}
        """;

    assertThat(fixtures.messageFor("r.yaml", yaml))
        .isEqualTo(
            "2 problems in r.yaml:\n"
                + "  r.yaml:8:49: spec.syncPolicy.rollback.healthTimeout must be at least 5s, or"
                + " every rollout is rolled back before its Pods start (e.g. 5m)\n"
                + "  r.yaml:8:67: spec.syncPolicy.rollback.revertCommit must be true or false, not"
                + " 'tomorrow'");
  }

  @Test
  void anApplicationThatDependsOnItselfIsRefused() {
    String yaml =
        """
        apiVersion: tagflow.dev/v1alpha1
        kind: Application
        metadata: {name: web}
        spec:
          source: {repoURL: https://example.com/r.git}
          destination: {cluster: local}
          dependsOn: [db, web]
        """;

    assertThat(fixtures.messageFor("s.yaml", yaml))
        .isEqualTo("s.yaml:7:19: spec.dependsOn: an application cannot depend on itself");
  }

  @Test
  void aFileThatDoesNotExistIsInvalidInputNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("nowhere.yaml");

    assertThat(assertThrows(TagflowException.class, () -> new ApplicationLoader().load(missing)))
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo(TagflowException.Reason.INVALID_INPUT);
              assertThat(e.getMessage()).isEqualTo(missing + ": no such file");
            });
  }

  @Test
  void pathsThatLeaveTheRepositoryAreRefusedButValuesFilesBesideThePathAreNot() {
    assertThat(fixtures.problemsOf("errors/paths-outside-the-repository.yaml").problems())
        .extracting(p -> p.line() + ":" + p.column() + " " + p.message())
        .containsExactly(
            "9:21 spec.source.helm.chart.path '/etc' must be relative to the chart repository's"
                + " root and stay inside it (e.g. charts/web)",
            "10:43 spec.source.helm.valueFiles: '../../../secrets.yaml' leaves the repository;"
                + " give a path relative to the source's path environments/production that stays"
                + " inside it",
            "10:66 spec.source.helm.valueFiles: 'https://example.com/values.yaml' is a URL; values"
                + " files are read from the repository (give a path relative to the source's path"
                + " environments/production)",
            "17:63 spec.source.path '../outside' must be relative to the repository's root and"
                + " stay inside it (e.g. environments/production)");
  }
}
