package dev.tagflow.reconcile;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.app.IgnoreDifference;
import dev.tagflow.app.SyncPolicy;
import dev.tagflow.app.SyncPolicyOptions;
import dev.tagflow.diff.IgnoreRule;
import dev.tagflow.diff.JsonPointer;
import dev.tagflow.sync.SyncOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps an Application's sync policy and {@code ignoreDifferences} onto the sync engine's {@link
 * SyncOptions}; the sync package knows nothing of Applications, so the mapping lives here.
 *
 * <ul>
 *   <li>prune: {@code automated.prune}, or asked for by the person ({@link RunOptions#prune()});
 *   <li>{@code CreateNamespace}, {@code PruneLast} map one to one; {@code Replace} and {@code
 *       Force} both mean "recreate an object whose immutable field changed", the only replacing the
 *       engine does (it never replaces what a patch can change);
 *   <li>{@code ApplyOutOfSyncOnly} and {@code FailOnSharedResource} are what the engine always does
 *       (it applies only what differs and never takes over another application's object), so either
 *       value is accepted;
 *   <li>{@code PrunePropagationPolicy}: foreground and background both delete dependents (the
 *       engine does not wait for them);
 *   <li>{@code selfHeal} and {@code retry} are the controller's business, not one sync's.
 * </ul>
 *
 * <p>What the engine cannot do as asked ({@code ServerSideApply=false}, {@code Validate=false},
 * {@code RespectIgnoreDifferences=true}, orphaning prunes, jq paths beyond plain field paths) is
 * refused in one message naming each, never silently ignored.
 */
public final class SyncOptionsMapping {

  /** {@code .spec.replicas}, {@code .metadata.labels["app.kubernetes.io/name"]}, {@code [0]}. */
  private static final Pattern JQ_STEP =
      Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_-]*)|\\[\"([^\"]*)\"]|\\[(\\d+)]");

  /**
   * The engine's options for one sync of the application.
   *
   * @throws TagflowException (INVALID_INPUT) naming the Application's file and line and every
   *     option the engine cannot honour
   */
  public SyncOptions map(Application application, RunOptions run) {
    List<String> refused = new ArrayList<>();
    SyncPolicyOptions asked = application.syncPolicy().options();
    if (!asked.serverSideApply()) {
      refused.add("ServerSideApply=false (Tagflow always applies server-side; remove it)");
    }
    if (!asked.validate()) {
      refused.add(
          "Validate=false (the API server always validates a server-side apply; fix the object"
              + " or its CustomResourceDefinition's schema)");
    }
    if (asked.respectIgnoreDifferences()) {
      refused.add(
          "RespectIgnoreDifferences=true (not supported yet; leave the field out of Git so"
              + " Tagflow does not manage it)");
    }
    if (asked.prunePropagationPolicy() == SyncPolicyOptions.PropagationPolicy.ORPHAN) {
      refused.add(
          "PrunePropagationPolicy=orphan (Tagflow's prune deletes dependents; use background)");
    }
    List<IgnoreRule> rules = new ArrayList<>();
    for (int i = 0; i < application.ignoreDifferences().size(); i++) {
      rules.add(rule(application.ignoreDifferences().get(i), i, refused));
    }
    if (!refused.isEmpty()) {
      throw TagflowException.invalidInput(
          application.origin()
              + ": Application '"
              + application.name()
              + "' asks for what Tagflow's sync does not do; change it:\n    "
              + String.join("\n    ", refused));
    }
    boolean automatedPrune =
        application.syncPolicy().automated().map(SyncPolicy.Automated::prune).orElse(false);
    return new SyncOptions(
        automatedPrune || run.prune(),
        asked.pruneLast(),
        asked.createNamespace(),
        asked.replace() || asked.force(),
        run.dryRun(),
        SyncOptions.defaults().maxDeleteShare(),
        run.confirmPrune(),
        false,
        SyncOptions.defaults().fieldManager(),
        rules,
        run.waitTimeout());
  }

  private static IgnoreRule rule(IgnoreDifference ignore, int index, List<String> refused) {
    String where = "ignoreDifferences[" + index + "]";
    List<JsonPointer> pointers = new ArrayList<>();
    for (String pointer : ignore.jsonPointers()) {
      try {
        pointers.add(JsonPointer.parse(pointer));
      } catch (IllegalArgumentException e) {
        refused.add(where + ".jsonPointers: " + e.getMessage());
      }
    }
    for (String path : ignore.jqPathExpressions()) {
      Optional<JsonPointer> pointer = pointerOf(path);
      if (pointer.isPresent()) {
        pointers.add(pointer.get());
      } else {
        refused.add(
            where
                + ".jqPathExpressions: '"
                + path
                + "' (Tagflow reads plain field paths like .data.password or"
                + " .metadata.labels[\"team\"]; use jsonPointers for anything else)");
      }
    }
    return new IgnoreRule(
        ignore.group(),
        ignore.kind(),
        ignore.namespace().orElse(""),
        ignore.name().orElse(""),
        pointers,
        ignore.managedFieldsManagers());
  }

  /** A jq path made only of field names and indexes, as the JSON pointer it means. */
  static Optional<JsonPointer> pointerOf(String jqPath) {
    String path = jqPath.strip();
    List<String> tokens = new ArrayList<>();
    Matcher step = JQ_STEP.matcher(path);
    int at = 0;
    while (at < path.length()) {
      if (!step.find(at) || step.start() != at) {
        return Optional.empty();
      }
      for (int group = 1; group <= 3; group++) {
        if (step.group(group) != null) {
          tokens.add(step.group(group));
        }
      }
      at = step.end();
    }
    return tokens.isEmpty() ? Optional.empty() : Optional.of(new JsonPointer(tokens));
  }
}
