package dev.tagflow.render;

import java.util.Map;

/**
 * The annotations that make an object a hook — ours, Argo CD's and Helm's — named in one place, so
 * rendering, syncing and comparing agree on what a hook is.
 */
public final class HookAnnotations {

  /** Tagflow's own: {@code PreSync}, {@code Sync}, {@code PostSync}, {@code SyncFail}. */
  public static final String TAGFLOW = "tagflow.dev/hook";

  /** Argo CD's, with the same phases as ours. */
  public static final String ARGO_CD = "argocd.argoproj.io/hook";

  /** Helm's: {@code pre-install}, {@code post-upgrade}, … */
  public static final String HELM = "helm.sh/hook";

  private HookAnnotations() {}

  /** Whether annotations with these keys make an object a hook. */
  public static boolean isHook(Map<String, ?> annotations) {
    return annotations != null
        && (annotations.containsKey(TAGFLOW)
            || annotations.containsKey(ARGO_CD)
            || annotations.containsKey(HELM));
  }
}
