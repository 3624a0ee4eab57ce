package dev.tagflow.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.server.TestServer;
import dev.tagflow.store.RunRecord;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runs pages' cancel and re-run buttons: rendered with the CSRF token, a confirmation for the
 * cancel, labels naming the run, only what the run's state and the viewer's roles allow; and on a
 * real server without a pipeline, offered to nobody and refused in place (503) when posted anyway.
 * The clicks against a running pipeline are in {@code PipelinePagesBrowserIT}.
 */
class RunActionsTest {

  private final Pages pages = new Pages();

  @TempDir Path temp;
  TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  static RunRecord run(String id, RunRecord.RunStatus status) {
    return new RunRecord(
        id,
        "git/app",
        ".github/workflows/release.yml",
        "refs/tags/v1.0.0",
        "0123456789abcdef0123456789abcdef01234567",
        "push",
        status,
        Instant.parse("2026-12-06T12:00:00Z"),
        Optional.empty(),
        "/tmp/none.log",
        Optional.empty());
  }

  private String render(RunActions actions) {
    return pages.render("runactions.jte", Map.of("actions", actions));
  }

  @Test
  void aRunningRunOffersACancelWithConfirmationAndTheCsrfToken() {
    String html =
        render(
            new RunActions(
                run("r-1", RunRecord.RunStatus.RUNNING),
                "csrf-token-1",
                true,
                false,
                true,
                "",
                false,
                Optional.empty()));
    assertThat(html)
        .contains("id=\"actions-r-1\"")
        .contains("hx-post=\"/ui/runs/r-1/cancel\"")
        .contains("action=\"/ui/runs/r-1/cancel\"")
        .contains("hx-confirm=\"Cancel run r-1?")
        .contains("name=\"csrf\" value=\"csrf-token-1\"")
        .contains("aria-label=\"Cancel run r-1\"")
        .doesNotContain("/rerun");
  }

  @Test
  void anEndedRunOffersAReRunAndANoticeSaysWhatHappened() {
    String html =
        render(
            new RunActions(
                run("r-2", RunRecord.RunStatus.FAILURE),
                "t",
                false,
                true,
                true,
                "Re-run queued.",
                false,
                Optional.of("r-3")));
    assertThat(html)
        .contains("hx-post=\"/ui/runs/r-2/rerun\"")
        .contains("role=\"status\"")
        .contains("Re-run queued.")
        .contains("href=\"/ui/runs/r-3\"")
        .doesNotContain("/cancel\"");
    String refused =
        render(
            new RunActions(
                run("r-2", RunRecord.RunStatus.FAILURE),
                "t",
                false,
                true,
                true,
                "Refused: <b>moved</b>",
                true,
                Optional.empty()));
    assertThat(refused).contains("role=\"alert\"").contains("&lt;b&gt;moved").doesNotContain("<b>");
  }

  @Test
  void withoutThePipelineOrThePermissionNoButtonIsOffered() {
    RunRecord running = run("r-4", RunRecord.RunStatus.RUNNING);
    RunActions noPipeline =
        new RunActions(running, "t", true, false, false, "", false, Optional.empty());
    assertThat(noPipeline.any()).isFalse();
    assertThat(render(noPipeline)).doesNotContain("<button");
    RunActions viewer =
        new RunActions(running, "t", false, false, true, "", false, Optional.empty());
    assertThat(viewer.any()).isFalse();
  }

  @Test
  void aServerWithoutItsPipelineListsNoButtonAndRefusesAPostInPlace() throws Exception {
    server = TestServer.start(temp.resolve("data"));
    String admin =
        server.daemon.access().tokens().create("ui-admin", "admin", Optional.empty()).text();
    Path log = Files.writeString(temp.resolve("run.log"), "line\n");
    server
        .store
        .runs()
        .started(
            new RunRecord(
                "run-9",
                "git/app",
                ".github/workflows/release.yml",
                "refs/tags/v1.0.0",
                "0123456789abcdef0123456789abcdef01234567",
                "push",
                RunRecord.RunStatus.RUNNING,
                Instant.now(),
                Optional.empty(),
                log.toString(),
                Optional.empty()));
    HttpResponse<String> list = server.get(RunsPage.LIST, "Authorization", "Bearer " + admin);
    assertThat(list.body()).contains("/ui/runs/run-9").doesNotContain("/ui/runs/run-9/cancel");
    HttpResponse<String> cancel =
        server.post(
            "/ui/runs/run-9/cancel", "", "Authorization", "Bearer " + admin, "HX-Request", "true");
    assertThat(cancel.statusCode()).isEqualTo(503);
    assertThat(cancel.body())
        .contains("role=\"alert\"")
        .contains("release pipeline is not running");
    assertThat(Files.exists(log.resolveSibling("cancel-requested"))).isFalse();
    HttpResponse<String> missing =
        server.post(
            "/ui/runs/nope/cancel", "", "Authorization", "Bearer " + admin, "HX-Request", "true");
    assertThat(missing.statusCode()).isEqualTo(404);
  }
}
