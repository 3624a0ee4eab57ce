package dev.tagflow.app;

import dev.tagflow.app.SyncPolicy.Automated;
import dev.tagflow.app.SyncPolicy.Backoff;
import dev.tagflow.app.SyncPolicy.Retry;
import dev.tagflow.app.SyncPolicy.Rollback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code spec.syncPolicy} in either dialect. */
final class SyncPolicyReader {

  private final Dialect dialect;
  private final Problems problems;

  SyncPolicyReader(Dialect dialect, Problems problems) {
    this.dialect = dialect;
    this.problems = problems;
  }

  SyncPolicy read(YamlMapping policy) {
    Optional<Automated> automated = policy.mapping("automated").flatMap(this::automated);
    SyncPolicyOptions options = options(policy);
    Optional<Retry> retry = policy.mapping("retry").map(this::retry);
    List<String> allowed = new ArrayList<>(List.of("automated", "syncOptions", "retry"));
    Optional<Rollback> rollback = Optional.empty();
    if (dialect == Dialect.TAGFLOW) {
      rollback = policy.mapping("rollback").map(this::rollback);
      allowed.add("rollback");
    }
    policy.finish(
        allowed,
        dialect == Dialect.ARGO_CD
            ? Map.of(
                "managedNamespaceMetadata",
                "labels and annotations for a created namespace; put a Namespace manifest in Git")
            : Map.of());
    return new SyncPolicy(automated, options, retry, rollback);
  }

  private Optional<Automated> automated(YamlMapping a) {
    boolean enabled = a.bool("enabled", true);
    Automated automated =
        new Automated(
            a.bool("prune", false), a.bool("selfHeal", false), a.bool("allowEmpty", false));
    a.finish(List.of("prune", "selfHeal", "allowEmpty", "enabled"));
    // Argo CD's "enabled: false" keeps the block but turns automation off.
    return enabled ? Optional.of(automated) : Optional.empty();
  }

  private SyncPolicyOptions options(YamlMapping policy) {
    SyncPolicyOptions options = SyncPolicyOptions.defaults();
    for (YamlMapping.Text text : policy.texts("syncOptions")) {
      SyncPolicyOptions.Parsed parsed = options.with(text.value());
      parsed
          .error()
          .ifPresent(e -> problems.add(text.mark(), policy.child("syncOptions") + ": " + e));
      options = parsed.options();
    }
    return options;
  }

  private Retry retry(YamlMapping r) {
    int limit = r.integer("limit").map(Long::intValue).orElse(5);
    Backoff backoff =
        r.mapping("backoff")
            .map(
                b -> {
                  Backoff read =
                      new Backoff(
                          backoffDuration(b, "duration", Backoff.DEFAULT.duration()),
                          b.number("factor").orElse(Backoff.DEFAULT.factor()),
                          backoffDuration(b, "maxDuration", Backoff.DEFAULT.maxDuration()));
                  if (read.factor() < 1) {
                    problems.add(
                        b.valueMark("factor"),
                        b.child("factor") + " must be at least 1, or waits would shrink");
                  }
                  b.finish(List.of("duration", "factor", "maxDuration"));
                  return read;
                })
            .orElse(Backoff.DEFAULT);
    r.finish(
        List.of("limit", "backoff"),
        dialect == Dialect.ARGO_CD
            ? Map.of("refresh", "Tagflow always refreshes before a retry")
            : Map.of());
    return new Retry(limit, backoff);
  }

  /** Argo CD reads a bare number here as seconds, so we do too; elsewhere a unit is required. */
  private Duration backoffDuration(YamlMapping b, String key, Duration otherwise) {
    Optional<String> text = b.string(key);
    if (text.isEmpty()) {
      return otherwise;
    }
    if (text.get().strip().matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(text.get().strip()));
    }
    return duration(b, key, text.get()).orElse(otherwise);
  }

  private Rollback rollback(YamlMapping r) {
    Duration timeout =
        r.string("healthTimeout")
            .flatMap(t -> duration(r, "healthTimeout", t))
            .orElse(Rollback.DEFAULT_HEALTH_TIMEOUT);
    if (timeout.compareTo(Rollback.SHORTEST_HEALTH_TIMEOUT) < 0) {
      // Shorter than a Pod takes to start: every rollout would be rolled back.
      problems.add(
          r.valueMark("healthTimeout"),
          r.child("healthTimeout")
              + " must be at least "
              + Rollback.SHORTEST_HEALTH_TIMEOUT.toSeconds()
              + "s, or every rollout is rolled back before its Pods start (e.g. 5m)");
      timeout = Rollback.DEFAULT_HEALTH_TIMEOUT;
    }
    Rollback rollback =
        new Rollback(
            r.bool("onDegraded", false),
            timeout,
            r.bool("revertCommit", false),
            r.bool("onDegradedAfterHealthy", false));
    r.finish(List.of("onDegraded", "healthTimeout", "revertCommit", "onDegradedAfterHealthy"));
    return rollback;
  }

  private Optional<Duration> duration(YamlMapping m, String key, String text) {
    Optional<Duration> parsed = GoDuration.parse(text);
    if (parsed.isEmpty()) {
      problems.add(
          m.valueMark(key),
          m.child(key) + " must be a duration (" + GoDuration.EXAMPLES + "), not '" + text + "'");
    }
    return parsed;
  }
}
