package dev.tagflow.server.runlog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tagflow.server.TestServer;
import dev.tagflow.store.RunRecord;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Stopping the server while runs' logs are followed on both routes (API and UI): every stream ends,
 * every follow has returned when the server's close does, and neither Javalin nor Jetty logs a
 * warning or error about a request answered after the stop.
 */
class FollowersAtStopTest {

  @TempDir Path temp;

  @Test
  void stoppingTheServerEndsOpenStreamsWithoutErrors() throws Exception {
    TestServer server = TestServer.start(temp.resolve("data"));
    String bearer =
        "Bearer "
            + server.daemon.access().tokens().create("stop", "admin", Optional.empty()).text();
    Path log = Files.writeString(temp.resolve("log.txt"), "still running\n");
    server
        .store
        .runs()
        .started(
            new RunRecord(
                "run-stop",
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
    ListAppender<ILoggingEvent> appender =
        new ListAppender<>() {
          @Override
          protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
              super.append(event);
            }
          }
        };
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender.setContext(logging);
    appender.start();
    List<Logger> watched =
        List.of(logging.getLogger("io.javalin"), logging.getLogger("org.eclipse.jetty"));
    watched.forEach(logger -> logger.addAppender(appender));
    // Each follow says when its handler returned: close must have waited for all of them.
    ListAppender<ILoggingEvent> ends = new ListAppender<>();
    ends.setContext(logging);
    ends.start();
    Logger follower = logging.getLogger(RunLogFollower.class);
    Level level = follower.getLevel();
    follower.setLevel(Level.DEBUG);
    follower.addAppender(ends);
    HttpClient http = HttpClient.newHttpClient();
    try {
      List<BufferedReader> streams = new ArrayList<>();
      for (String path :
          List.of("/api/v1/runs/run-stop/logs?follow=true", "/ui/runs/run-stop/log/events")) {
        for (int i = 0; i < 3; i++) {
          HttpResponse<InputStream> answer =
              http.send(
                  HttpRequest.newBuilder(server.url().resolve(path))
                      .header("Authorization", bearer)
                      .header("Accept", "text/event-stream")
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
          assertThat(answer.statusCode()).as(path).isEqualTo(200);
          BufferedReader reader =
              new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8));
          // Reading the first line proves the follow is running.
          assertThat(untilData(reader)).as(path).contains("still running");
          streams.add(reader);
        }
      }

      server.close();

      assertThat(ends.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .as("follows ended when the server's close returned")
          .containsExactly(
              Collections.nCopies(6, "run=run-stop log follow ended").toArray(String[]::new));

      for (BufferedReader reader : streams) {
        assertThat(untilData(reader)).as("the stream ends at the stop").isNull();
      }
      assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    } finally {
      watched.forEach(logger -> logger.detachAppender(appender));
      follower.detachAppender(ends);
      follower.setLevel(level);
      http.shutdownNow();
    }
  }

  /** The next data line of an event stream; null at its end. */
  private static String untilData(BufferedReader reader) throws Exception {
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      if (line.startsWith("data:")) {
        return line;
      }
    }
    return null;
  }
}
