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
 *     bounds how long a promotion waits under contention (measured in BENCHMARKS.md: two writers
 *     promoting in a tight loop into one repository needed 1.2 pushes per promotion on average and
 *     14 at the most; people and pipelines promote far less often)
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
        20,
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
