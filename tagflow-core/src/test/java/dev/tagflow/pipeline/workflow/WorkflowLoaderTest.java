package dev.tagflow.pipeline.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tagflow.app.Problem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkflowLoaderTest {

  private final WorkflowLoader loader = new WorkflowLoader();

  private static final String RELEASE =
      """
      name: release
      on:
        push:
          tags: ['v*']
        workflow_dispatch:
          inputs:
            environment:
              type: choice
              options: [dev, staging]
              default: dev
      env:
        IMAGE: registry.local/web
      defaults:
        run:
          shell: bash
          working-directory: app
      jobs:
        test:
          runs-on: ubuntu-latest
          timeout-minutes: 30
          strategy:
            fail-fast: false
            max-parallel: 2
            matrix:
              java: [17, 21]
              os: [linux]
              include:
                - java: 21
                  experimental: true
              exclude:
                - java: 17
                  os: linux
          steps:
            - uses: actions/checkout@v4
            - uses: actions/setup-java@v4
              with:
                java-version: ${{ matrix.java }}
                distribution: temurin
            - id: build
              name: Build
              run: mvn -B verify
              env:
                MAVEN_OPTS: -Xmx1g
              continue-on-error: ${{ matrix.experimental == true }}
        image:
          needs: test
          if: success()
          outputs:
            digest: ${{ steps.image.outputs.digest }}
          steps:
            - uses: ./.github/actions/prepare
            - uses: acme/tools/setup-helm@v2
            - id: image
              uses: tagflow/image@v1
              with:
                from: eclipse-temurin:21-jre
                image: ${{ env.IMAGE }}
                tags: ${{ github.ref_name }}
              timeout-minutes: 10
        promote:
          needs: [test, image]
          steps:
            - uses: tagflow/promote
              with:
                environments: dev
      """;

  @Test
  void readsEveryPartOfAReleaseWorkflowIntoTheModel() {
    Workflow w = loader.load(".github/workflows/release.yml", RELEASE);

    assertThat(w.displayName()).isEqualTo("release");
    assertThat(w.env()).containsOnlyKeys("IMAGE");
    assertThat(w.defaults().shell()).map(Text::value).contains("bash");
    assertThat(w.defaults().workingDirectory()).map(Text::value).contains("app");
    assertThat(w.jobs()).containsOnlyKeys("test", "image", "promote");

    Job test = w.jobs().get("test");
    assertThat(test.timeoutMinutes()).map(Text::value).contains("30");
    Strategy strategy = test.strategy().orElseThrow();
    assertThat(strategy.failFast()).map(Text::value).contains("false");
    assertThat(strategy.maxParallel()).map(Text::value).contains("2");
    Matrix.Values matrix = (Matrix.Values) strategy.matrix();
    // The exclude removes java 17; the include adds experimental to java 21.
    assertThat(matrix.combinations())
        .containsExactly(Map.of("java", 21L, "os", "linux", "experimental", true));

    Step build = test.steps().get(2);
    assertThat(build.id()).contains("build");
    assertThat(build.displayName()).isEqualTo("Build");
    assertThat(build.env()).containsEntry("MAVEN_OPTS", new Text("-Xmx1g", new Position(43, 23)));
    assertThat(build.continueOnError())
        .map(Text::value)
        .contains("${{ matrix.experimental == true }}");
    assertThat(build.action()).isInstanceOf(StepAction.Run.class);

    Job image = w.jobs().get("image");
    assertThat(image.needs()).containsExactly("test");
    assertThat(image.condition()).map(Text::value).contains("success()");
    assertThat(image.outputs()).containsOnlyKeys("digest");
    assertThat(image.steps())
        .extracting(s -> ((StepAction.Uses) s.action()).action())
        .containsExactly(
            new ActionRef.Local(".github/actions/prepare", "./.github/actions/prepare"),
            new ActionRef.Remote("acme", "tools", "setup-helm", "v2", "acme/tools/setup-helm@v2"),
            new ActionRef.BuiltIn(BuiltInAction.IMAGE, Optional.of("v1"), "tagflow/image@v1"));
    assertThat(w.jobs().get("promote").needs()).containsExactly("test", "image");
    assertThat(w.jobs().get("promote").steps().getFirst().action())
        .extracting(a -> ((StepAction.Uses) a).action())
        .isEqualTo(
            new ActionRef.BuiltIn(BuiltInAction.PROMOTE, Optional.empty(), "tagflow/promote"));

    assertThat(w.on().dispatch().orElseThrow().get("environment").options())
        .containsExactly("dev", "staging");
  }

  @Test
  void keepsEveryValueThatMayHoldAnExpressionWithItsKeyAndPlace() {
    Workflow w = loader.load("release.yml", RELEASE);

    assertThat(w.expressions())
        .filteredOn(ExpressionSite::isExpression)
        .extracting(s -> s.path() + " " + s.place() + " " + s.text().at())
        .containsExactly(
            "jobs.test.steps[1].with.java-version STEP_SETTING 37:25",
            "jobs.test.steps[2].continue-on-error STEP_SETTING 44:28",
            "jobs.image.if JOB_IF 47:9",
            "jobs.image.outputs.digest JOB_OUTPUTS 49:15",
            "jobs.image.steps[2].with.image STEP_SETTING 57:18",
            "jobs.image.steps[2].with.tags STEP_SETTING 58:17");
    ExpressionSite condition =
        w.expressions().stream().filter(s -> s.path().equals("jobs.image.if")).findFirst().get();
    assertThat(condition.condition()).isTrue();
    assertThat(condition.place().contexts()).doesNotContain("secrets", "steps", "matrix");
  }

  @Test
  void anExpressionCheckPlacesItsProblemsAtTheValue() {
    WorkflowLoader checked =
        new WorkflowLoader(
            dev.tagflow.yaml.YamlLimits.defaults(),
            site ->
                site.text().value().contains("secrets.")
                        && !site.place().contexts().contains("secrets")
                    ? List.of(new ExpressionCheck.Problem(0, "secrets is not available here"))
                    : List.of());
    String text =
        """
        on: push
        jobs:
          a:
            if: secrets.TOKEN != ''
            steps:
              - run: echo ${{ secrets.TOKEN }}
        """;

    InvalidWorkflowException e =
        assertThrows(InvalidWorkflowException.class, () -> checked.load("w.yml", text));

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly("w.yml:4:9: jobs.a.if: secrets is not available here");
  }

  @Test
  void expressionsAreCheckedInAFileWithOtherProblemsToo() {
    WorkflowLoader checked =
        new WorkflowLoader(
            dev.tagflow.yaml.YamlLimits.defaults(),
            site ->
                site.text().value().contains("${{ x")
                    ? List.of(new ExpressionCheck.Problem(4, "unknown context x"))
                    : List.of());

    InvalidWorkflowException e =
        assertThrows(
            InvalidWorkflowException.class,
            () ->
                checked.load(
                    "w.yml", "on: push\njobs:\n  a:\n    stepz: []\n    env: {A: '${{ x.y }}'}\n"));

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "w.yml:3:3: jobs.a has no steps; a job needs at least one step",
            "w.yml:4:5: unknown key 'stepz' in jobs.a; did you mean 'steps'? (allowed: name, needs,"
                + " if, runs-on, env, outputs, timeout-minutes, continue-on-error, strategy,"
                + " defaults, permissions, environment, concurrency, steps)",
            "w.yml:5:19: jobs.a.env.A: unknown context x");
  }

  @Test
  void anchorsAliasesAndMergeKeysStandForTheirValues() {
    Workflow w =
        loader.load(
            "w.yml",
            """
            on: push
            jobs:
              a:
                env: &common {JAVA: '21', MAVEN_OPTS: -Xmx1g}
                steps:
                  - &checkout {uses: actions/checkout@v4}
                  - run: make
              b:
                env:
                  <<: *common
                  JAVA: '17'
                steps:
                  - *checkout
                  - run: make test
            """);

    assertThat(w.jobs().get("b").env())
        .extractingFromEntries(e -> e.getKey() + "=" + e.getValue().value())
        .containsExactlyInAnyOrder("JAVA=17", "MAVEN_OPTS=-Xmx1g");
    assertThat(w.jobs().get("b").steps().getFirst().action())
        .isEqualTo(w.jobs().get("a").steps().getFirst().action());
  }

  @Test
  void readsTheThreeFormsOfOnWithOnAsAKeyNotABoolean() {
    assertThat(events("on: push")).containsExactly("push");
    assertThat(events("on: [push, workflow_dispatch]"))
        .containsExactly("push", "workflow_dispatch");
    assertThat(events("on:\n  push:\n  release:\n    types: [published]"))
        .containsExactly("push", "release");
    assertThat(events("'on': push")).containsExactly("push");
    assertThat(events("\"on\": {workflow_dispatch: {}}")).containsExactly("workflow_dispatch");
  }

  @Test
  void reportsEveryProblemOfAFileAtOnceEachWhereItIs() {
    String text =
        """
        name: broken
        on:
          push:
            tags: ['v*']
            tags-ignore: ['x']
            branches: ['release/[a-Z]']
          pusj:
        jobs:
          build:
            runs-on: ubuntu-latest
            stpes:
              - run: make
          test:
            needs: [biuld]
            steps:
              - id: same
                run: a
              - id: same
                run: b
              - id: 9lives
                run: c
              - run: d
                uses: actions/checkout@v4
              - name: nothing
          2fast:
            steps:
              - run: e
        """;

    List<Problem> problems = problems("ci.yml", text);

    assertThat(problems)
        .extracting(Problem::toString)
        .containsExactly(
            "ci.yml:5:5: on.push has both tags and tags-ignore; GitHub takes one of them: use"
                + " tags with '!pattern' entries to exclude",
            "ci.yml:6:26: the pattern 'release/[a-Z]' has the range a-Z; ranges are within a-z,"
                + " A-Z or 0-9",
            "ci.yml:7:3: unknown event 'pusj'; did you mean 'push'? (Tagflow starts runs on push"
                + " and workflow_dispatch)",
            "ci.yml:9:3: jobs.build has no steps; a job needs at least one step",
            "ci.yml:11:5: unknown key 'stpes' in jobs.build; did you mean 'steps'? (allowed:"
                + " name, needs, if, runs-on, env, outputs, timeout-minutes, continue-on-error,"
                + " strategy, defaults, permissions, environment, concurrency, steps)",
            "ci.yml:14:13: jobs.test.needs names 'biuld', which is not a job of this workflow;"
                + " did you mean 'build'? (jobs: build, test, 2fast)",
            "ci.yml:18:9: a second step with id 'same' in jobs.test (the first is at line 16);"
                + " step ids are unique within a job",
            "ci.yml:20:9: step id '9lives' is not a valid id: it must start with a letter or _"
                + " and hold only letters, digits, - and _",
            "ci.yml:23:9: jobs.test.steps[3] has both run: and uses:; a step does one of them",
            "ci.yml:24:9: jobs.test.steps[4] has neither run: nor uses:; a step does one of them",
            "ci.yml:25:3: job id '2fast' is not a valid id: it must start with a letter or _ and"
                + " hold only letters, digits, - and _");
  }

  @Test
  void refusesWhatNeedsDockerOrOtherWorkflowsWithWhatToUseInstead() {
    String text =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          a:
            container: maven:3-eclipse-temurin-21
            services:
              db: {image: postgres}
            steps:
              - uses: docker://alpine:3.20
              - uses: docker/build-push-action@v6
              - uses: ./.github/workflows/build.yml
          b:
            uses: acme/shared/.github/workflows/release.yml@v1
            with: {x: 1}
        """;

    List<Problem> problems = problems("w.yml", text);

    assertThat(problems)
        .extracting(p -> p.line() + ":" + p.column() + " " + p.message().split(";")[0])
        .containsExactly(
            "4:5 jobs.a.container is not supported: jobs run as processes on the Tagflow host,"
                + " not in a container",
            "5:5 jobs.a.services is not supported: service containers need Docker, which Tagflow"
                + " does not use (jobs run as processes on the Tagflow host)",
            "8:15 jobs.a.steps[0].uses 'docker://alpine:3.20' runs a Docker image, which Tagflow"
                + " does not do (steps run as processes on its host)",
            "9:15 jobs.a.steps[1].uses 'docker/build-push-action@v6' is not supported: it builds"
                + " with a Docker daemon",
            "10:15 jobs.a.steps[2].uses './.github/workflows/build.yml' names a workflow",
            "12:5 jobs.b.uses calls a reusable workflow, which Tagflow does not run");
    assertThat(problems.get(3).message()).contains("tagflow/image");
  }

  @Test
  void namesACycleOfNeedsWithItsJobs() {
    String text =
        """
        on: push
        jobs:
          a: {needs: c, steps: [{run: a}]}
          b: {needs: a, steps: [{run: b}]}
          c: {needs: b, steps: [{run: c}]}
          d: {needs: d, steps: [{run: d}]}
        """;

    assertThat(problems("w.yml", text))
        .extracting(Problem::toString)
        .containsExactly(
            "w.yml:3:3: jobs need each other in a cycle: a → c → b → a; remove one of these"
                + " needs");
  }

  @Test
  void checksUsesTimeoutsShellsAndDispatchInputs() {
    String text =
        """
        on:
          workflow_dispatch:
            inputs:
              level:
                type: choice
              speed:
                type: fast
              has space:
                type: string
        jobs:
          a:
            timeout-minutes: soon
            steps:
              - uses: actions/checkout
              - uses: acme/tool
              - uses: tagflow/imag@v1
              - uses: ${{ matrix.action }}
              - uses: ./../elsewhere
              - run: x
                shell: cmd
              - run: y
                shell: bsh
              - run: z
                continue-on-error: maybe
        """;

    assertThat(problems("w.yml", text))
        .extracting(p -> p.line() + ": " + p.message())
        .containsExactly(
            "4: input 'level' is a choice without options; list them in options:",
            "7: on.workflow_dispatch.inputs.speed.type 'fast' is not a type; use string, boolean,"
                + " choice, number or environment",
            "8: input 'has space' is not a valid id: it must start with a letter or _ and hold"
                + " only letters, digits, - and _",
            "12: jobs.a.timeout-minutes must be a positive number of minutes, or an expression,"
                + " not 'soon'",
            "14: jobs.a.steps[0].uses 'actions/checkout' needs a version, as on GitHub:"
                + " actions/checkout@v4",
            "15: jobs.a.steps[1].uses 'acme/tool' needs a version after @, as on GitHub:"
                + " acme/tool@v1",
            "16: jobs.a.steps[2].uses 'tagflow/imag@v1' is not one of Tagflow's actions; did you"
                + " mean 'tagflow/image'? (actions/checkout, actions/setup-java,"
                + " actions/upload-artifact, actions/download-artifact, actions/cache,"
                + " actions/cache/restore, actions/cache/save, tagflow/image, tagflow/promote)",
            "17: jobs.a.steps[3].uses '${{ matrix.action }}' holds an expression; GitHub does not"
                + " evaluate expressions in uses: either",
            "18: jobs.a.steps[4].uses './../elsewhere' leaves the repository ('..'); a local"
                + " action is a directory in it",
            "20: shell 'cmd' is Windows' and steps run on the Tagflow host (Linux); use bash, sh,"
                + " pwsh or python",
            "22: unknown shell 'bsh'; did you mean 'bash'? (bash, sh, pwsh, python, or a command"
                + " with {0} for the script file: 'perl {0}')",
            "24: jobs.a.steps[7].continue-on-error must be true, false or an expression, not"
                + " 'maybe'");
  }

  @Test
  void aJobWithNothingUnderItOrNoStepsIsRefused() {
    assertThat(problems("w.yml", "on: push\njobs:\n  a:\n  b: {steps: []}\n  c: {steps: }\n"))
        .extracting(Problem::toString)
        .containsExactly(
            "w.yml:3:3: jobs.a has no steps; a job needs at least one step",
            "w.yml:4:7: jobs.b.steps is empty; a job needs at least one step",
            "w.yml:5:7: jobs.c.steps is empty; a job needs at least one step");
    assertThat(problems("w.yml", "on: push\njobs:\n# nothing yet\n"))
        .extracting(Problem::toString)
        .containsExactly("w.yml:2:1: jobs: is empty; a workflow needs at least one job");
  }

  @Test
  void refusesAFileWithoutOnOrJobsOrThatIsNotYaml() {
    assertThat(problems("a.yml", "name: x\n"))
        .extracting(Problem::toString)
        .containsExactly(
            "a.yml:1:1: the workflow has no 'on:' (what starts it); for a release, on: {push:"
                + " {tags: ['v*']}}",
            "a.yml:1:1: the workflow has no 'jobs:'; a workflow needs at least one job");
    assertThat(problems("b.yml", ""))
        .extracting(Problem::message)
        .containsExactly(
            "the file is empty; a workflow needs on: (what starts it) and jobs: (what it runs)");
    assertThat(problems("c.yml", "on: push\njobs: [\n"))
        .extracting(p -> p.line() + ":" + p.message().substring(0, 14))
        .containsExactly("3:not valid YAML");
    assertThat(problems("d.yml", "on: push\n---\non: push\n"))
        .extracting(p -> p.message().substring(0, 15))
        .containsExactly("not valid YAML:");
  }

  private List<String> events(String on) {
    return loader.load("w.yml", on + "\njobs: {a: {steps: [{run: x}]}}\n").on().events();
  }

  static List<Problem> problems(String file, String text) {
    return assertThrows(InvalidWorkflowException.class, () -> new WorkflowLoader().load(file, text))
        .problems();
  }
}
