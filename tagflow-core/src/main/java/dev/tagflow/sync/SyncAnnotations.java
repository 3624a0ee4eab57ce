package dev.tagflow.sync;

import dev.tagflow.render.HookAnnotations;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an object's place in a sync from its annotations: ours ({@code tagflow.dev/sync-wave},
 * {@code tagflow.dev/hook}), Argo CD's ({@code argocd.argoproj.io/sync-wave}, {@code
 * argocd.argoproj.io/hook}, {@code argocd.argoproj.io/hook-delete-policy}) and Helm's ({@code
 * helm.sh/hook}, {@code helm.sh/hook-weight}, {@code helm.sh/hook-delete-policy}), in that order of
 * precedence.
 */
final class SyncAnnotations {

  static final String WAVE = "tagflow.dev/sync-wave";
  static final String HOOK = HookAnnotations.TAGFLOW;
  static final String HOOK_DELETE_POLICY = "tagflow.dev/hook-delete-policy";
  static final String ARGO_WAVE = "argocd.argoproj.io/sync-wave";
  static final String ARGO_HOOK = HookAnnotations.ARGO_CD;
  static final String ARGO_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy";
  static final String HELM_HOOK = HookAnnotations.HELM;
  static final String HELM_WEIGHT = "helm.sh/hook-weight";
  static final String HELM_DELETE_POLICY = "helm.sh/hook-delete-policy";

  private SyncAnnotations() {}

  /** The wave; 0 when none is given. */
  static int wave(HasMetadata object) {
    Map<String, String> annotations = annotations(object);
    for (String key : new String[] {WAVE, ARGO_WAVE, HELM_WEIGHT}) {
      String value = annotations.get(key);
      if (value != null) {
        try {
          return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
          throw dev.tagflow.TagflowException.invalidInput(
              "annotation "
                  + key
                  + " of "
                  + object.getKind()
                  + "/"
                  + object.getMetadata().getName()
                  + " must be a whole number, like \"1\" or \"-2\"; got \""
                  + value
                  + "\"");
        }
      }
    }
    return 0;
  }

  /**
   * The hook the object is, if any. Helm hooks Tagflow does not run (test, pre-delete, rollback)
   * are reported as {@link Optional#empty()} by {@link #isSkipped}.
   */
  static Optional<Hook> hook(HasMetadata object) {
    Map<String, String> annotations = annotations(object);
    Optional<Phase> phase =
        ourOrArgoPhase(annotations.getOrDefault(HOOK, annotations.get(ARGO_HOOK)));
    if (phase.isEmpty()) {
      phase = helmPhase(annotations.get(HELM_HOOK));
    }
    return phase.map(p -> new Hook(p, deletePolicies(annotations)));
  }

  /** Whether the object is a hook Tagflow does not run: Argo's {@code Skip}, Helm's test hooks. */
  static boolean isSkipped(HasMetadata object) {
    Map<String, String> annotations = annotations(object);
    String argo = annotations.getOrDefault(HOOK, annotations.get(ARGO_HOOK));
    if (argo != null && argo.trim().equalsIgnoreCase("Skip")) {
      return true;
    }
    String helm = annotations.get(HELM_HOOK);
    return helm != null && helmPhase(helm).isEmpty();
  }

  private static Optional<Phase> ourOrArgoPhase(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (String part : value.split(",")) {
      for (Phase phase : Phase.values()) {
        if (phase.displayName().equalsIgnoreCase(part.trim())) {
          return Optional.of(phase);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Phase> helmPhase(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (String part : value.split(",")) {
      switch (part.trim()) {
        case "pre-install", "pre-upgrade" -> {
          return Optional.of(Phase.PRE_SYNC);
        }
        case "post-install", "post-upgrade" -> {
          return Optional.of(Phase.POST_SYNC);
        }
        default -> {}
      }
    }
    return Optional.empty();
  }

  private static Set<HookDeletePolicy> deletePolicies(Map<String, String> annotations) {
    String value =
        annotations.getOrDefault(
            HOOK_DELETE_POLICY,
            annotations.getOrDefault(ARGO_DELETE_POLICY, annotations.get(HELM_DELETE_POLICY)));
    Set<HookDeletePolicy> policies = EnumSet.noneOf(HookDeletePolicy.class);
    if (value != null) {
      for (String part : value.split(",")) {
        switch (part.trim().toLowerCase(java.util.Locale.ROOT)) {
          case "hooksucceeded", "hook-succeeded" -> policies.add(HookDeletePolicy.HOOK_SUCCEEDED);
          case "hookfailed", "hook-failed" -> policies.add(HookDeletePolicy.HOOK_FAILED);
          case "beforehookcreation", "before-hook-creation" ->
              policies.add(HookDeletePolicy.BEFORE_HOOK_CREATION);
          default -> {}
        }
      }
    }
    if (policies.isEmpty()) {
      policies.add(HookDeletePolicy.BEFORE_HOOK_CREATION);
    }
    return policies;
  }

  private static Map<String, String> annotations(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }
}
