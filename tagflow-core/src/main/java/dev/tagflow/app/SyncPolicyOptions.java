package dev.tagflow.app;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code syncOptions} of a sync policy, parsed from Argo CD's {@code Name=value} strings.
 *
 * @param createNamespace create the destination namespace when it does not exist
 * @param pruneLast prune after every other object is applied and healthy, so nothing still in use
 *     disappears first
 * @param replace replace objects (delete and create) instead of applying them, for objects that
 *     cannot be patched
 * @param force with {@code replace}, recreate objects whose immutable fields changed
 * @param serverSideApply apply server-side; on by default, as Tagflow always applies this way
 * @param validate validate objects against their schema before applying
 * @param applyOutOfSyncOnly apply only objects that differ, not the whole application
 * @param prunePropagationPolicy how deletions propagate to dependents
 * @param failOnSharedResource fail instead of warning when an object belongs to another application
 * @param respectIgnoreDifferences also keep ignored fields as they are when applying
 */
public record SyncPolicyOptions(
    boolean createNamespace,
    boolean pruneLast,
    boolean replace,
    boolean force,
    boolean serverSideApply,
    boolean validate,
    boolean applyOutOfSyncOnly,
    PropagationPolicy prunePropagationPolicy,
    boolean failOnSharedResource,
    boolean respectIgnoreDifferences) {

  /** The names accepted before {@code =}, as Argo CD spells them. */
  public static final List<String> NAMES =
      List.of(
          "CreateNamespace",
          "PruneLast",
          "Replace",
          "Force",
          "ServerSideApply",
          "Validate",
          "ApplyOutOfSyncOnly",
          "PrunePropagationPolicy",
          "FailOnSharedResource",
          "RespectIgnoreDifferences");

  public SyncPolicyOptions {
    Objects.requireNonNull(prunePropagationPolicy, "prunePropagationPolicy");
  }

  public static SyncPolicyOptions defaults() {
    return new SyncPolicyOptions(
        false, false, false, false, true, true, false, PropagationPolicy.FOREGROUND, false, false);
  }

  /** How the API server deletes an object's dependents. */
  public enum PropagationPolicy {
    FOREGROUND,
    BACKGROUND,
    ORPHAN;

    static Optional<PropagationPolicy> parse(String text) {
      return Arrays.stream(values())
          .filter(p -> p.name().equalsIgnoreCase(text.strip()))
          .findFirst();
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * These options with one {@code Name=value} applied.
   *
   * @return empty, with the reason, when the name or the value is not one we know
   */
  public Parsed with(String option) {
    int eq = option.indexOf('=');
    if (eq < 0) {
      return new Parsed(this, Optional.of("must be Name=value, e.g. CreateNamespace=true"));
    }
    String name = option.substring(0, eq).strip();
    String value = option.substring(eq + 1).strip();
    if (name.equals("PrunePropagationPolicy")) {
      return PropagationPolicy.parse(value)
          .map(p -> new Parsed(withPolicy(p), Optional.<String>empty()))
          .orElse(
              new Parsed(
                  this,
                  Optional.of(
                      "PrunePropagationPolicy must be foreground, background or orphan, not '"
                          + value
                          + "'")));
    }
    if (!NAMES.contains(name)) {
      return new Parsed(
          this,
          Optional.of("unknown sync option '" + name + "'; known: " + String.join(", ", NAMES)));
    }
    if (!value.equals("true") && !value.equals("false")) {
      return new Parsed(this, Optional.of(name + " must be true or false, not '" + value + "'"));
    }
    return new Parsed(withFlag(name, Boolean.parseBoolean(value)), Optional.empty());
  }

  /** The result of {@link #with}: the options, and why the option was refused if it was. */
  public record Parsed(SyncPolicyOptions options, Optional<String> error) {}

  private SyncPolicyOptions withPolicy(PropagationPolicy p) {
    return new SyncPolicyOptions(
        createNamespace,
        pruneLast,
        replace,
        force,
        serverSideApply,
        validate,
        applyOutOfSyncOnly,
        p,
        failOnSharedResource,
        respectIgnoreDifferences);
  }

  private SyncPolicyOptions withFlag(String name, boolean v) {
    return new SyncPolicyOptions(
        name.equals("CreateNamespace") ? v : createNamespace,
        name.equals("PruneLast") ? v : pruneLast,
        name.equals("Replace") ? v : replace,
        name.equals("Force") ? v : force,
        name.equals("ServerSideApply") ? v : serverSideApply,
        name.equals("Validate") ? v : validate,
        name.equals("ApplyOutOfSyncOnly") ? v : applyOutOfSyncOnly,
        prunePropagationPolicy,
        name.equals("FailOnSharedResource") ? v : failOnSharedResource,
        name.equals("RespectIgnoreDifferences") ? v : respectIgnoreDifferences);
  }
}
