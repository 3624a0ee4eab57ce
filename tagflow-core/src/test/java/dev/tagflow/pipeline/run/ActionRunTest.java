package dev.tagflow.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tagflow.DirectoryRemoval;
import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.pipeline.action.ActionSource;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.pipeline.workflow.WorkflowLoader;
import dev.tagflow.source.RemoteAccess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Composite and JavaScript actions run for real: action repositories are bare Git repositories (the
 * actions source a {@code file://} base), JavaScript actions run with the host's real Node, and
 * each step is a real process.
 */
class ActionRunTest {

  @TempDir Path dir;
  Path data;
  Path host;
  Path repository;
  String commit;
  final List<LogLine> lines = new CopyOnWriteArrayList<>();

  @BeforeEach
  void repository() throws IOException {
    data = Files.createDirectories(dir.resolve("data"));
    host = Files.createDirectories(dir.resolve("host"));
    GitWorkTree git = GitWorkTree.init(dir.resolve("app"));
    repository = git.directory();
    git.write(
        ".github/actions/local/action.yml",
        """
        name: local
        inputs: {word: {default: from-the-workspace}}
        outputs: {said: {value: '${{ steps.s.outputs.said }}'}}
        runs:
          using: composite
          steps:
            - id: s
              shell: bash
              run: echo "said=${{ inputs.word }}" >> "$GITHUB_OUTPUT"
        """);
    commit = git.commitFile("VERSION", "1.2.3\n", "app");
  }

  /** A repository {@code owner/name} on the actions host, its files committed and tagged v1. */
  String action(String owner, String name, Map<String, String> files) {
    GitWorkTree work =
        GitWorkTree.init(dir.resolve("work").resolve(owner).resolve(name))
            .withOrigin(host.resolve(owner).resolve(name + ".git"));
    files.forEach(work::write);
    work.commit("action");
    work.git("tag", "v1");
    work.git("push", "-q", "origin", "main", "--tags");
    return work.head();
  }

  ActionSource source() {
    return new ActionSource(
        data, host.toUri().toString(), RemoteAccess.anonymous(new SimpleMeterRegistry()));
  }

  RunHandle start(String id, String yaml) {
    RunRequest request =
        new RunRequest(
            id,
            new WorkflowLoader().load(".github/workflows/release.yml", yaml),
            RunEvent.push(RefPush.tag("v1.2.3")),
            "shop/app",
            repository.toString(),
            commit,
            Map.of(),
            Map.of());
    return new PipelineRunner(
            data,
            2,
            Optional.empty(),
            Clock.systemUTC(),
            Optional.empty(),
            BuiltInSettings.defaults(),
            source())
        .start(request, lines::add);
  }

  RunResult run(String id, String yaml) throws InterruptedException {
    return start(id, yaml).await();
  }

  List<String> texts() {
    return lines.stream().map(LogLine::text).toList();
  }

  static final String COMPOSITE =
      """
      name: greet
      inputs:
        who: {required: true}
        greeting: {default: Hello}
      outputs:
        sentence: {value: '${{ steps.say.outputs.sentence }}'}
        length: {value: '${{ steps.count.outputs.length }}'}
      runs:
        using: composite
        steps:
          - id: say
            shell: bash
            run: |
              echo "sentence=${{ inputs.greeting }}, ${{ inputs.who }}" >> "$GITHUB_OUTPUT"
              cat "$GITHUB_ACTION_PATH/data.txt"
              echo "path=${{ github.action_path }}"
          - if: failure()
            shell: bash
            run: echo never-on-success
          - id: count
            uses: octo/count@v1
            with: {text: '${{ steps.say.outputs.sentence }}'}
          - shell: bash
            env: {FROM_CALLER: '${{ env.CALLER }}'}
            working-directory: sub
            run: echo "caller=$FROM_CALLER in $(basename "$PWD")"
      """;

  static final String COUNT =
      """
      inputs: {text: {required: true}}
      outputs: {length: {value: '${{ steps.n.outputs.length }}'}}
      runs:
        using: composite
        steps:
          - id: n
            shell: bash
            run: |
              t='${{ inputs.text }}'
              echo "length=${#t}" >> "$GITHUB_OUTPUT"
      """;

  @Test
  void aCompositeActionTakesInputsRunsANestedActionAndGivesOutputs() throws Exception {
    String at =
        action(
            "octo", "greet", Map.of("action.yml", COMPOSITE, "data.txt", "data-from-the-action\n"));
    action("octo", "count", Map.of("action.yml", COUNT));
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            env: {CALLER: the-job}
            steps:
              - uses: actions/checkout@v4
              - run: mkdir sub
              - id: g
                uses: octo/greet@v1
                with: {who: world}
              - id: l
                uses: ./.github/actions/local
              - run: echo "got ${{ steps.g.outputs.sentence }} (${{ steps.g.outputs.length }}) and ${{ steps.l.outputs.said }}"
        """;

    RunResult result = run("composite", yaml);

    assertThat(result.conclusion()).as(String.join("\n", texts())).isEqualTo(Conclusion.SUCCESS);
    StepResult greet = result.single("j").orElseThrow().steps().get(2);
    assertThat(greet.outputs())
        .containsEntry("sentence", "Hello, world")
        .containsEntry("length", "12");
    String actions = data.resolve("actions").toRealPath().toString();
    assertThat(texts())
        .contains(
            "data-from-the-action",
            "caller=the-job in sub",
            "got Hello, world (12) and from-the-workspace")
        .doesNotContain("never-on-success")
        .anyMatch(l -> l.startsWith("action octo/greet@v1 at " + at + " (composite)"))
        .anyMatch(l -> l.startsWith("path=" + actions));
  }

  @Test
  void aCompositeActionsStepMayUseABuiltIn() throws Exception {
    action(
        "octo",
        "checkout-and-read",
        Map.of(
            "action.yml",
            """
            outputs: {version: {value: '${{ steps.v.outputs.version }}'}}
            runs:
              using: composite
              steps:
                - uses: actions/checkout@v4
                - id: v
                  shell: bash
                  run: echo "version=$(cat VERSION)" >> "$GITHUB_OUTPUT"
            """));
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - id: c
                uses: octo/checkout-and-read@v1
              - run: echo "version ${{ steps.c.outputs.version }}"
        """;

    RunResult result = run("builtin-inside", yaml);

    assertThat(result.conclusion()).as(String.join("\n", texts())).isEqualTo(Conclusion.SUCCESS);
    assertThat(texts()).contains("version 1.2.3");
  }

  @Test
  void aFailingStepOfACompositeActionFailsItAndSkipsTheRestButFailureSteps() throws Exception {
    action(
        "octo",
        "fails",
        Map.of(
            "action.yml",
            """
            runs:
              using: composite
              steps:
                - shell: bash
                  run: exit 3
                - shell: bash
                  run: echo skipped-after-failure
                - if: failure()
                  shell: bash
                  run: echo cleanup-after-failure
            """));
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - id: f
                uses: octo/fails@v1
              - if: always()
                run: echo "outcome=${{ steps.f.outcome }}"
        """;

    RunResult result = run("composite-fails", yaml);

    assertThat(result.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(result.single("j").orElseThrow().steps().get(0).message()).contains("exit code 3");
    assertThat(texts())
        .contains("cleanup-after-failure", "outcome=failure")
        .doesNotContain("skipped-after-failure");
  }

  @Test
  void aRequiredInputLeftOutFailsTheStepNamingIt() throws Exception {
    action("octo", "greet", Map.of("action.yml", COMPOSITE, "data.txt", "x"));
    action("octo", "count", Map.of("action.yml", COUNT));
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - uses: octo/greet@v1
        """;

    RunResult result = run("required", yaml);

    assertThat(result.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(result.single("j").orElseThrow().steps().get(0).message())
        .contains("octo/greet@v1 needs the input 'who'");
  }

  static final String JS_ACTION =
      """
      inputs:
        who name: {required: true}
        secret: {default: ''}
      outputs: {greeting: {description: what it says}}
      runs:
        using: node20
        pre: pre.js
        main: dist/main.js
        post: post.js
      """;

  static final String PRE =
      """
      const fs = require('fs');
      const who = process.env['INPUT_WHO_NAME'];
      console.log('pre ran for ' + who);
      fs.appendFileSync(process.env.GITHUB_STATE, 'fromPre=pre-' + who + '\\n');
      """;

  static final String MAIN =
      """
      const fs = require('fs');
      const who = process.env['INPUT_WHO_NAME'];
      fs.appendFileSync(process.env.GITHUB_OUTPUT, 'greeting=hello ' + who + '\\n');
      fs.appendFileSync(process.env.GITHUB_STATE, 'fromMain=main-' + who + '\\n');
      const secret = process.env['INPUT_SECRET'];
      if (secret) {
        console.log('::add-mask::' + secret);
        console.log('the value is ' + secret);
      }
      console.log('::group::details');
      console.log('main for ' + who + ' saw ' + process.env.STATE_fromPre);
      console.log('::endgroup::');
      """;

  static final String POST =
      """
      console.log('post for ' + process.env['INPUT_WHO_NAME'] + ' saw ' + process.env.STATE_fromMain);
      """;

  @Test
  void aJavaScriptActionRunsPreMainAndPostWithInputsStateOutputsAndMasking() throws Exception {
    action(
        "octo",
        "js",
        Map.of("action.yml", JS_ACTION, "pre.js", PRE, "dist/main.js", MAIN, "post.js", POST));
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - run: echo first-step
              - id: a
                uses: octo/js@v1
                with: {who name: alice, secret: hunter2-topsecret}
              - id: b
                uses: octo/js@v1
                with: {who name: bob}
              - run: echo "outputs ${{ steps.a.outputs.greeting }} / ${{ steps.b.outputs.greeting }}"
        """;

    RunResult result = run("js", yaml);

    assertThat(result.conclusion()).as(String.join("\n", texts())).isEqualTo(Conclusion.SUCCESS);
    List<String> order =
        texts().stream()
            .filter(
                t ->
                    t.startsWith("pre ran")
                        || t.startsWith("main for")
                        || t.startsWith("post for")
                        || t.equals("first-step"))
            .toList();
    assertThat(order)
        .containsExactly(
            "pre ran for alice",
            "pre ran for bob",
            "first-step",
            "main for alice saw pre-alice",
            "main for bob saw pre-bob",
            "post for bob saw main-bob",
            "post for alice saw main-alice");
    assertThat(texts())
        .contains("the value is ***", "outputs hello alice / hello bob")
        .noneMatch(t -> t.contains("hunter2-topsecret"));
    assertThat(Files.readString(result.log())).doesNotContain("hunter2-topsecret");
    assertThat(lines).anyMatch(l -> l.kind() == LogLine.Kind.GROUP && l.text().equals("details"));
  }

  @Test
  void aDockerActionFailsTheJobBeforeAnyStepRan() throws Exception {
    action(
        "octo",
        "docker",
        Map.of(
            "action.yml",
            """
            name: in a container
            runs:
              using: docker
              image: Dockerfile
            """));
    Path marker = dir.resolve("ran");
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - run: touch %s
              - uses: octo/docker@v1
        """
            .formatted(marker);

    RunResult result = run("docker", yaml);

    assertThat(result.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(Files.exists(marker)).isFalse();
    assertThat(result.single("j").orElseThrow().message())
        .contains("octo/docker@v1/action.yml:3:10")
        .contains("Docker container action")
        .contains("tagflow/image");
  }

  @Test
  void aMissingActionOrRefIsNamedClearly() throws Exception {
    action("octo", "count", Map.of("action.yml", COUNT));
    String missingRepo =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps: [{uses: octo/nothing-here@v1}]
        """;
    String missingRef =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps: [{uses: octo/count@v9, with: {text: x}}]
        """;

    assertThat(run("no-repo", missingRepo).single("j").orElseThrow().message())
        .contains("the action octo/nothing-here@v1 cannot be fetched from")
        .contains("octo/nothing-here.git");
    assertThat(run("no-ref", missingRef).single("j").orElseThrow().message())
        .contains("the action octo/count@v9: no branch, tag or commit 'v9'");
  }

  @Test
  void aCachedActionRunsWhenTheSourceIsGone() throws Exception {
    String at = action("octo", "count", Map.of("action.yml", COUNT));
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - id: c
                uses: octo/count@v1
                with: {text: abcd}
        """;
    assertThat(run("first", yaml).conclusion()).isEqualTo(Conclusion.SUCCESS);
    delete(host);

    RunResult second = run("second", yaml);

    assertThat(second.conclusion()).as(String.join("\n", texts())).isEqualTo(Conclusion.SUCCESS);
    assertThat(second.single("j").orElseThrow().steps().get(0).outputs())
        .containsEntry("length", "4");
    assertThat(texts())
        .anyMatch(
            t ->
                t.startsWith("action octo/count@v1 at " + at)
                    && t.contains("cannot be reached, the cached commit is used"));
  }

  @Test
  void anActionForANewerNodeThanTheHostsNamesTheInstalledOne() throws Exception {
    String version = nodeVersion();
    assumeTrue(
        Integer.parseInt(version.substring(1, version.indexOf('.'))) < 24,
        "the host's Node is 24 or newer; a node24 action runs on it");
    action(
        "octo",
        "new-node",
        Map.of("action.yml", "runs: {using: node24, main: index.js}\n", "index.js", "1;\n"));
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps: [{uses: octo/new-node@v1}]
        """;

    RunResult result = run("node24", yaml);

    assertThat(result.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(result.single("j").orElseThrow().steps().get(0).message())
        .contains("needs Node 24 (runs.using: node24)")
        .contains("the Tagflow host has Node " + version);
  }

  @Test
  void cancelKillsTheProcessTreeOfAJavaScriptAction() throws Exception {
    String marker = "3600." + System.nanoTime() % 1000000;
    action(
        "octo",
        "sleeper",
        Map.of(
            "action.yml",
            "runs: {using: node20, main: index.js}\n",
            "index.js",
            """
            const { spawn } = require('child_process');
            spawn('sleep', ['%1$s'], { stdio: 'ignore' });
            spawn('sh', ['-c', 'sleep %1$s'], { stdio: 'ignore', detached: true });
            setTimeout(() => console.log('ready'), 200);
            setInterval(() => {}, 1000);
            """
                .formatted(marker)));
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps: [{uses: octo/sleeper@v1}]
        """;
    CountDownLatch ready = new CountDownLatch(1);
    RunHandle run =
        new PipelineRunner(
                data,
                2,
                Optional.empty(),
                Clock.systemUTC(),
                Optional.empty(),
                BuiltInSettings.defaults(),
                source())
            .start(
                new RunRequest(
                    "cancel-js",
                    new WorkflowLoader().load(".github/workflows/release.yml", yaml),
                    RunEvent.push(RefPush.tag("v1.2.3")),
                    "shop/app",
                    repository.toString(),
                    commit,
                    Map.of(),
                    Map.of()),
                line -> {
                  if (line.text().equals("ready")) {
                    ready.countDown();
                  }
                });
    ready.await();
    assertThat(ProcessMarkers.running(marker)).hasSizeGreaterThanOrEqualTo(2);

    run.cancel("cancelled by the test");
    RunResult result = run.await();

    assertThat(result.conclusion()).isEqualTo(Conclusion.CANCELLED);
    assertThat(ProcessMarkers.running(marker)).isEmpty();
  }

  @Test
  void anActionUsingItselfStopsAtGitHubsDepthLimit() throws Exception {
    action(
        "octo",
        "loop",
        Map.of(
            "action.yml",
            """
            runs:
              using: composite
              steps: [{uses: octo/loop@v1}]
            """));
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps: [{uses: octo/loop@v1}]
        """;

    RunResult result = run("loop", yaml);

    assertThat(result.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(result.single("j").orElseThrow().steps().get(0).message())
        .contains("nested more than 10 composite actions deep");
  }

  @Test
  void aLocalActionThatIsALinkOutOfTheWorkspaceIsRefused() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(
        outside.resolve("action.yml"),
        "runs: {using: composite, steps: [{shell: bash, run: echo escaped}]}\n");
    GitWorkTree git = GitWorkTree.open(repository);
    Files.createSymbolicLink(repository.resolve(".github/actions/out"), outside);
    git.commit("a link out");
    commit = git.head();
    String yaml =
        """
        on: {push: {tags: ['v*']}}
        jobs:
          j:
            steps:
              - uses: actions/checkout@v4
              - uses: ./.github/actions/out
        """;

    RunResult result = run("link-out", yaml);

    assertThat(result.conclusion()).isEqualTo(Conclusion.FAILURE);
    assertThat(result.single("j").orElseThrow().steps().get(1).message())
        .contains("the local action ./.github/actions/out is a link leading out of the workspace");
    assertThat(texts()).doesNotContain("escaped");
  }

  static String nodeVersion() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return out;
  }

  static void delete(Path root) throws IOException {
    DirectoryRemoval.delete(root);
  }
}
