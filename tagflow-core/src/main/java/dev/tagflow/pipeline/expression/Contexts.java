package dev.tagflow.pipeline.expression;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an evaluation reads: the contexts by name ({@code github}, {@code steps}, …), the status the
 * status functions report, the workspace {@code hashFiles} hashes in, and the limits.
 *
 * <p>A context that is not given reads as null, as a context GitHub does not fill at that place
 * does. Which contexts a place of the workflow may use is the workflow loader's to check, with
 * {@link Expression#contexts()}.
 *
 * @param values the contexts by lower-case name
 * @param status the job's (or, for a job's {@code if:}, its needs') status so far
 * @param workspace where {@code hashFiles} looks; empty where there is no workspace (loading)
 * @param limits the bounds of one evaluation
 */
public record Contexts(
    Map<String, Value> values, Status status, Optional<Path> workspace, ExpressionLimits limits) {

  /**
   * How the job is doing, for {@code success()}, {@code failure()} and {@code cancelled()} ({@code
   * always()} is true whatever it is).
   */
  public enum Status {
    /** Every step (or needed job) so far succeeded: {@code success()} is true. */
    SUCCESS,
    /** A step (or needed job) failed: {@code failure()} is true. */
    FAILURE,
    /** The run was cancelled: {@code cancelled()} is true. */
    CANCELLED
  }

  public Contexts {
    Map<String, Value> lower = new LinkedHashMap<>();
    values.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value));
    values = Map.copyOf(lower);
  }

  /** No contexts, status success, no workspace, default limits. */
  public static Contexts empty() {
    return builder().build();
  }

  /**
   * {@code hashFiles(patterns…)} over the workspace, as an expression calls it: the hex SHA-256 of
   * the matched files' SHA-256, or {@code ""} when none matches.
   *
   * @throws ExpressionException if there is no workspace, a pattern or link leaves it, a file
   *     cannot be read, or the patterns match more files than the limit
   */
  public String hashFiles(List<String> patterns) {
    Path root =
        workspace.orElseThrow(
            () -> ExpressionException.of("hashFiles needs a workspace, and there is none here"));
    return HashFiles.hash(root, patterns, limits, -1);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The context of that name (any case), or null if it was not given. */
  public Value get(String name) {
    return values.getOrDefault(name.toLowerCase(Locale.ROOT), Value.NULL);
  }

  /** Builds {@link Contexts}; every part is optional. */
  public static final class Builder {
    private final Map<String, Value> values = new LinkedHashMap<>();
    private Status status = Status.SUCCESS;
    private Optional<Path> workspace = Optional.empty();
    private ExpressionLimits limits = ExpressionLimits.defaults();

    private Builder() {}

    public Builder put(String name, Value value) {
      values.put(name, value);
      return this;
    }

    public Builder status(Status status) {
      this.status = status;
      return this;
    }

    public Builder workspace(Path workspace) {
      this.workspace = Optional.of(workspace);
      return this;
    }

    public Builder limits(ExpressionLimits limits) {
      this.limits = limits;
      return this;
    }

    public Contexts build() {
      return new Contexts(values, status, workspace, limits);
    }
  }
}
