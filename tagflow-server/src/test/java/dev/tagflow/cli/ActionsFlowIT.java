package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagflow.local.git.GitWorkTree;
import dev.tagflow.server.git.HostedRepositories;
import dev.tagflow.server.git.OwnGitCredentials;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Composite and JavaScript actions hosted on {@code tagflow server}'s own Git server: the server as
 * a process, its {@code --actions-source} pointing at itself, a tag pushed with the real {@code git
 * push --tags} runs a workflow using {@code octo/composite@v1} and {@code octo/js-action@v1} (the
 * JavaScript one with the host's real Node), fetched with the server's own credentials.
 */
class ActionsFlowIT {

  private static final String TOKEN = "tf_actions_flow_it_token_0123456789";
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

  private static final String COMPOSITE =
      """
      name: greet
      inputs:
        who: {required: true}
        greeting: {default: Hello}
      outputs:
        sentence: {value: '${{ steps.say.outputs.sentence }}'}
      runs:
        using: composite
        steps:
          - id: say
            shell: bash
            run: echo "sentence=${{ inputs.greeting }}, ${{ inputs.who }}" >> "$GITHUB_OUTPUT"
      """;

  private static final String JS_ACTION =
      """
      inputs: {name: {required: true}}
      outputs: {greeting: {description: the greeting}}
      runs: {using: node20, main: index.js, post: post.js}
      """;

  private static final String JS_MAIN =
      """
      const fs = require('fs');
      const name = process.env['INPUT_NAME'];
      fs.appendFileSync(process.env.GITHUB_OUTPUT, 'greeting=js got ' + name + '\\n');
      fs.appendFileSync(process.env.GITHUB_STATE, 'seen=' + name + '\\n');
      """;

  private static final String JS_POST = "console.log('post saw ' + process.env.STATE_seen);\n";

  private static final String WORKFLOW =
      """
      name: release
      on: {push: {tags: ['v*']}}
      jobs:
        release:
          runs-on: ubuntu-latest
          steps:
            - id: c
              uses: octo/composite@v1
              with: {who: release}
            - id: j
              uses: octo/js-action@v1
              with: {name: '${{ steps.c.outputs.sentence }}'}
            - run: echo "composite said ${{ steps.c.outputs.sentence }}; js said ${{ steps.j.outputs.greeting }}"
      """;

  // Kept when the test fails: the server's log is in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private Path data;
  private Process server;

  @BeforeEach
  void setUp() {
    data = temp.resolve("data");
    HostedRepositories hosted = new HostedRepositories(data.resolve("git"));
    hosted.create("app");
    hosted.create("octo-composite");
    hosted.create("octo-js-action");
  }

  @AfterEach
  void stop() {
    if (server != null && server.isAlive()) {
      server.destroyForcibly();
    }
  }

  @Test
  void aPushedTagRunsCompositeAndJavaScriptActionsFromTheServersOwnGitServer() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path out = temp.resolve("server.out");
    Path err = temp.resolve("server.err");
    Path tokens = Files.writeString(temp.resolve("tokens"), TOKEN + "\n");
    server =
        TagflowProcess.of(
                List.of(
                    "server",
                    "--data-dir",
                    data.toString(),
                    "--port",
                    Integer.toString(port),
                    "--git-token-file",
                    tokens.toString(),
                    "--kubeconfig",
                    temp.resolve("no-cluster").toString(),
                    "--poll-interval",
                    "10m",
                    "--actions-source",
                    "http://127.0.0.1:" + port + "/git/{owner}-{repo}.git"),
                out,
                err)
            .start();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> LISTENING.matcher(Files.readString(out)).find() || !server.isAlive());
    assertThat(server.isAlive()).as(Files.readString(err)).isTrue();
    Matcher matcher = LISTENING.matcher(Files.readString(out));
    assertThat(matcher.find()).isTrue();
    String url = matcher.group(1);
    assertThat(url).isEqualTo("http://127.0.0.1:" + port);
    String withToken = url.replace("http://", "http://tagflow:" + TOKEN + "@");

    publish("composite", withToken + "/git/octo-composite.git", List.of("action.yml", COMPOSITE));
    publish(
        "js-action",
        withToken + "/git/octo-js-action.git",
        List.of("action.yml", JS_ACTION, "index.js", JS_MAIN, "post.js", JS_POST));
    GitWorkTree app =
        GitWorkTree.init(temp.resolve("app-work"))
            .write(".github/workflows/release.yml", WORKFLOW)
            .commit("release workflow");
    app.git("push", "-q", withToken + "/git/app.git", "main");
    app.git("tag", "v1.0.0");
    app.git("push", "-q", "--tags", withToken + "/git/app.git");

    RunRecord run;
    try (Store store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(data)))) {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  !server.isAlive()
                      || store.runs().latest(10).stream().anyMatch(r -> r.status().isEnded()));
      assertThat(server.isAlive()).as(Files.readString(err)).isTrue();
      List<RunRecord> runs = store.runs().latest(10);
      assertThat(runs).hasSize(1);
      run = runs.getFirst();
    }
    String log = Files.readString(Path.of(run.log()));
    assertThat(run.status()).as(log).isEqualTo(RunRecord.RunStatus.SUCCESS);
    assertThat(log)
        .contains("action octo/composite@v1 at ")
        .contains("action octo/js-action@v1 at ")
        .contains("composite said Hello, release; js said js got Hello, release")
        .contains("post saw Hello, release");
    String ownToken = Files.readString(data.resolve(OwnGitCredentials.FILE)).strip();
    for (Path file : List.of(out, err, Path.of(run.log()))) {
      assertThat(Files.readString(file))
          .as(file.toString())
          .doesNotContain(TOKEN)
          .doesNotContain(ownToken);
    }
  }

  /** Pushes files (name, content, name, content, …) to a hosted repository, tagged v1. */
  private void publish(String name, String remote, List<String> files) {
    GitWorkTree work = GitWorkTree.init(temp.resolve("actions").resolve(name));
    for (int i = 0; i < files.size(); i += 2) {
      work.write(files.get(i), files.get(i + 1));
    }
    work.commit(name);
    work.git("tag", "v1");
    work.git("push", "-q", remote, "main");
    work.git("push", "-q", "--tags", remote);
  }
}
