package dev.tagflow.cli;

import dev.tagflow.server.ControllerService;
import dev.tagflow.source.GitPoller;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the server's poller on the repositories followed and those the applications read. */
record PolledRepositories(
    FollowedRepositories followed,
    ControllerService controller,
    GitPoller poller,
    Duration pollEvery) {

  private static final Logger log = LoggerFactory.getLogger(PolledRepositories.class);

  /**
   * Polls the repositories followed (the settings file's at their own intervals, or those of
   * 'tagflow repo add'; those added over the API) and those the applications read, at the default
   * interval.
   */
  void refresh() {
    Map<String, Duration> intervals = new LinkedHashMap<>();
    try {
      if (followed.ownIntervals()) {
        intervals.putAll(followed.pollIntervals());
      } else {
        followed.urls().forEach(url -> intervals.put(url, pollEvery));
      }
    } catch (RuntimeException e) {
      // A half-edited repositories.yaml must not stop polling what was known; next time again.
      log.warn("could not read the repository list again: {}", e.getMessage());
      return;
    }
    controller.repositories().forEach(url -> intervals.putIfAbsent(url, pollEvery));
    poller.watchExactly(intervals);
  }
}
