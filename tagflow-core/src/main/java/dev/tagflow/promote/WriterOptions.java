package dev.tagflow.promote;

import dev.tagflow.yaml.YamlLimits;
import java.time.Clock;
import java.util.Objects;

/**
 * How an {@link EnvRepoWriter} writes.
 *
 * @param committerName the author and committer of promotion commits
 * @param committerEmail their e-mail address
 * @param maxAttempts how many pushes one change may take when other pushes keep moving the branch
 *     before it fails: each attempt fetches and applies the change again on the new head, so this
 *     bounds how long a promotion waits under heavy contention (10 pushes of a small repository
 *     take well under a second on a LAN)
 * @param clock when approvals are recorded and commits made
 * @param limits the YAML read from the environment repository
 * @param beforePush called after a change is committed locally and before it is pushed; Tagflow
 *     passes a no-op, tests push another commit there, as a second writer would
 */
public record WriterOptions(
    String committerName,
    String committerEmail,
    int maxAttempts,
    Clock clock,
    YamlLimits limits,
    BeforePush beforePush) {

  /** A moment between committing and pushing. */
  @FunctionalInterface
  public interface BeforePush {
    void run(String repository, String branch, int attempt);
  }

  public WriterOptions {
    Objects.requireNonNull(committerName, "committerName");
    Objects.requireNonNull(committerEmail, "committerEmail");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(beforePush, "beforePush");
  }

  public static WriterOptions defaults() {
    return new WriterOptions(
        "Tagflow",
        "tagflow@localhost",
        10,
        Clock.systemUTC(),
        YamlLimits.defaults(),
        (repository, branch, attempt) -> {});
  }

  public WriterOptions withBeforePush(BeforePush value) {
    return new WriterOptions(committerName, committerEmail, maxAttempts, clock, limits, value);
  }

  public WriterOptions withMaxAttempts(int value) {
    return new WriterOptions(committerName, committerEmail, value, clock, limits, beforePush);
  }
}
