package dev.tagflow.pipeline.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.source.RefChanged;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which pushes start a workflow, by the forms of on.push GitHub documents. */
class PushTriggerTest {

  private final WorkflowLoader loader = new WorkflowLoader();

  @ParameterizedTest(name = "on: {0} — {1} {2} starts it: {3}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          # A bare push: every tag (as GitHub), but no branch (Tagflow starts releases, not CI).
          push                                          | TAG    | v1.2.3        | true
          push                                          | BRANCH | main          | false
          {push: {}}                                    | TAG    | anything/x    | true
          # Only tag filters: no branch runs.
          {push: {tags: ['v*']}}                        | TAG    | v1.2.3        | true
          {push: {tags: ['v*']}}                        | TAG    | prod-v1.2.3   | false
          {push: {tags: ['v*']}}                        | BRANCH | v1            | false
          {push: {tags: ['v*', 'prod-v*']}}             | TAG    | prod-v1.2.3   | true
          {push: {tags: ['v*', '!v*-rc*']}}             | TAG    | v1.3.0-rc.1   | false
          {push: {tags: ['v*', '!v*-rc*']}}             | TAG    | v1.3.0        | true
          {push: {tags-ignore: ['v*-rc*']}}             | TAG    | v1.3.0-rc.1   | false
          {push: {tags-ignore: ['v*-rc*']}}             | TAG    | v1.3.0        | true
          {push: {tags-ignore: ['v*-rc*']}}             | BRANCH | main          | false
          {push: {tags: []}}                            | TAG    | v1            | false
          {push: {tags: 'v*'}}                          | TAG    | v1            | true
          # Only branch filters: no tag runs; branches run because they are asked for.
          {push: {branches: [main]}}                    | BRANCH | main          | true
          {push: {branches: [main]}}                    | BRANCH | feature/x     | false
          {push: {branches: [main]}}                    | TAG    | v1.2.3        | false
          {push: {branches-ignore: ['dependabot/**']}}  | BRANCH | main          | true
          {push: {branches-ignore: ['dependabot/**']}}  | BRANCH | dependabot/a/b | false
          {push: {branches-ignore: ['dependabot/**']}}  | TAG    | v1            | false
          # Both: each kind by its own filter.
          {push: {branches: [main], tags: ['v*']}}      | BRANCH | main          | true
          {push: {branches: [main], tags: ['v*']}}      | TAG    | v2            | true
          {push: {branches: [main], tags: ['v*']}}      | TAG    | x2            | false
          # Paths filters are not evaluated for tags (GitHub's rule).
          {push: {tags: ['v*'], paths: ['src/**']}}     | TAG    | v1            | true
          # Events Tagflow does not act on start nothing.
          {pull_request: {}, release: {types: [published]}} | TAG | v1          | false
          workflow_dispatch                             | TAG    | v1            | false
          """)
  void decidesWhichPushesStartAWorkflow(String on, RefPush.Kind kind, String name, boolean starts) {
    Workflow w = loader.load("w.yml", "on: " + on + "\njobs: {a: {steps: [{run: x}]}}\n");

    assertThat(w.on().startsOn(new RefPush(kind, name))).isEqualTo(starts);
  }

  @Test
  void aRefChangeIsAPushOfItsBranchOrTagAndADeletionIsNone() {
    Instant now = Instant.now();
    RefChanged created =
        new RefChanged(
            "repo",
            "refs/tags/v1.2.3",
            Optional.empty(),
            Optional.of("a1"),
            RefChanged.Origin.GIT_SERVER,
            now);
    RefChanged moved =
        new RefChanged(
            "repo",
            "refs/heads/main",
            Optional.of("a1"),
            Optional.of("b2"),
            RefChanged.Origin.POLL,
            now);
    RefChanged deleted =
        new RefChanged(
            "repo",
            "refs/tags/v1.2.3",
            Optional.of("a1"),
            Optional.empty(),
            RefChanged.Origin.POLL,
            now);
    RefChanged note =
        new RefChanged(
            "repo",
            "refs/notes/commits",
            Optional.empty(),
            Optional.of("a1"),
            RefChanged.Origin.POLL,
            now);

    assertThat(RefPush.of(created)).contains(RefPush.tag("v1.2.3"));
    assertThat(RefPush.of(moved)).contains(RefPush.branch("main"));
    assertThat(RefPush.of(deleted)).isEmpty();
    assertThat(RefPush.of(note)).isEmpty();
    assertThat(RefPush.tag("v1.2.3").ref()).isEqualTo("refs/tags/v1.2.3");
  }

  @Test
  void aSetOfWorkflowsAnswersWhichOfThemAPushStarts() {
    Workflow release =
        loader.load("release.yml", "on: {push: {tags: ['v*']}}\njobs: {a: {steps: [{run: x}]}}");
    Workflow prod =
        loader.load(
            "prod.yml",
            "on: {push: {tags: ['prod-v*']}, workflow_dispatch: {}}\njobs: {a: {steps: [{run: x}]}}");
    Workflow ci =
        loader.load("ci.yml", "on: {push: {branches: [main]}}\njobs: {a: {steps: [{run: x}]}}");
    WorkflowSet set = new WorkflowSet(List.of(release, prod, ci), List.of());

    assertThat(set.triggeredBy(RefPush.tag("v1.2.3"))).containsExactly(release);
    assertThat(set.triggeredBy(RefPush.tag("prod-v1.2.3"))).containsExactly(prod);
    assertThat(set.triggeredBy(RefPush.branch("main"))).containsExactly(ci);
    assertThat(set.triggeredBy(RefPush.branch("feature/x"))).isEmpty();
    assertThat(set.manual()).containsExactly(prod);
  }

  @Test
  void checksTheInputsOfAManualRunAgainstTheirDeclarations() {
    Workflow w =
        loader.load(
            "w.yml",
            """
            on:
              workflow_dispatch:
                inputs:
                  tag: {required: true}
                  environment: {type: choice, options: [dev, prod], default: dev}
                  dry-run: {type: boolean}
                  replicas: {type: number, required: true, default: 2}
            jobs: {a: {steps: [{run: x}]}}
            """);

    assertThat(w.on().checkInputs(Map.of("tag", "v1.2.3"))).isEmpty();
    assertThat(
            w.on()
                .checkInputs(
                    Map.of("environment", "test", "dry-run", "yes", "replicas", "two", "x", "1")))
        .containsExactlyInAnyOrder(
            "unknown input 'x' (inputs: [tag, environment, dry-run, replicas])",
            "input 'tag' is required",
            "input 'environment' must be one of dev, prod, not 'test'",
            "input 'dry-run' must be true or false, not 'yes'",
            "input 'replicas' must be a number, not 'two'");
    assertThat(w.on().inputs(Map.of("tag", "v1.2.3")))
        .containsExactly(
            Map.entry("tag", "v1.2.3"),
            Map.entry("environment", "dev"),
            Map.entry("dry-run", "false"),
            Map.entry("replicas", "2"));
    Workflow pushOnly = loader.load("p.yml", "on: push\njobs: {a: {steps: [{run: x}]}}");
    assertThat(pushOnly.on().checkInputs(Map.of()))
        .containsExactly(
            "the workflow has no on.workflow_dispatch, so it cannot be started by hand");
  }

  @Test
  void aPatternListOfOnlyNegationsIsRefusedAsMatchingNothing() {
    assertThat(
            WorkflowLoaderTest.problems(
                "w.yml", "on: {push: {tags: ['!v*-rc*']}}\njobs: {a: {steps: [{run: x}]}}"))
        .extracting(p -> p.message())
        .containsExactly(
            "on.push.tags has only '!' patterns, which match nothing; add a positive pattern"
                + " before them, or use tags-ignore to only exclude");
  }
}
