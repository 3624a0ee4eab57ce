package dev.tagflow.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.server.TestServer;
import dev.tagflow.server.runlog.RunLogFollower;
import dev.tagflow.store.RunRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's log followed over server-sent events on a real server, the run and its log written by the
 * test itself (the server has no pipeline here; ResourceApiIT follows real runs): lines as they are
 * written, a line written in two parts sent once whole, a last line without a newline sent when the
 * run ends, an over-long line cut, and a reconnect with {@code Last-Event-ID} given only what it
 * missed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunLogStreamTest {

  @TempDir static Path temp;
  TestServer server;
  String bearer;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    server = TestServer.start(temp.resolve("data"));
    bearer =
        "Bearer "
            + server.daemon.access().tokens().create("logs", "admin", Optional.empty()).text();
  }

  @AfterAll
  void stop() {
    http.close();
    server.close();
  }

  record Event(String name, String id, String data) {}

  /** Reads one event (comments skipped); null at the end of the stream. */
  static Event next(BufferedReader reader) throws Exception {
    String name = "message";
    String id = null;
    StringBuilder data = null;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      if (line.isEmpty()) {
        if (data != null) {
          return new Event(name, id, data.toString());
        }
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String value = line.substring(colon + 1).replaceFirst("^ ", "");
      switch (line.substring(0, colon)) {
        case "event" -> name = value;
        case "id" -> id = value;
        case "data" ->
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> {}
      }
    }
    return null;
  }

  private BufferedReader follow(String runId, String lastEventId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.url().resolve("/api/v1/runs/" + runId + "/logs?follow=true"))
            .header("Authorization", bearer)
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<java.io.InputStream> answer =
        http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    return new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8));
  }

  private static void append(Path log, String text) throws Exception {
    Files.writeString(log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void linesComeAsWrittenWholeAndTheLastOneWithoutNewlineAtTheEnd() throws Exception {
    String runId = "20261206-000000-1-1";
    Path log = Files.createDirectories(temp.resolve("runs/" + runId)).resolve("log.txt");
    append(log, "one\n");
    server
        .store
        .runs()
        .started(
            new RunRecord(
                runId,
                "git/app",
                ".github/workflows/release.yml",
                "refs/tags/v1.0.0",
                "0".repeat(40),
                "push",
                RunRecord.RunStatus.RUNNING,
                Instant.now(),
                Optional.empty(),
                log.toString(),
                Optional.empty()));
    List<Event> events = new ArrayList<>();
    try (BufferedReader reader = follow(runId, null)) {
      events.add(next(reader));
      assertThat(events.getLast().name()).isEqualTo("log");
      assertThat(events.getLast().data()).isEqualTo("one");
      assertThat(events.getLast().id()).isEqualTo("4");
      // Half a line is held back until its newline comes.
      append(log, "tw");
      append(log, "o\n" + "x".repeat(RunLogFollower.MAX_LINE_CHARS + 10) + "\n");
      events.add(next(reader));
      assertThat(events.getLast().data()).isEqualTo("two");
      events.add(next(reader));
      assertThat(events.getLast().data())
          .startsWith("xxxx")
          .endsWith("(line cut at " + RunLogFollower.MAX_LINE_CHARS + " characters)");
      append(log, "last, without a newline");
      server.store.runs().finished(runId, RunRecord.RunStatus.FAILURE, Instant.now(), "{}");
      events.add(next(reader));
      assertThat(events.getLast().data()).isEqualTo("last, without a newline");
      events.add(next(reader));
      assertThat(events.getLast().name()).isEqualTo("end");
      assertThat(events.getLast().data()).contains("\"status\":\"failure\"");
      assertThat(events.getLast().id()).isEqualTo(Long.toString(Files.size(log)));
      assertThat(next(reader)).as("the stream closes after the end event").isNull();
    }
    // A reconnect after the second line gets the rest only.
    try (BufferedReader reader = follow(runId, events.get(1).id())) {
      Event cut = next(reader);
      assertThat(cut.data()).startsWith("xxxx");
      assertThat(next(reader).data()).isEqualTo("last, without a newline");
      assertThat(next(reader).name()).isEqualTo("end");
    }
  }
}
