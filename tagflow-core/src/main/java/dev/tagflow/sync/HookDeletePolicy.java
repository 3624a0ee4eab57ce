package dev.tagflow.sync;

/** When a hook object is deleted (Argo CD's and Helm's delete policies). */
public enum HookDeletePolicy {
  /** Delete the previous run's object before creating the hook again (the default). */
  BEFORE_HOOK_CREATION,
  /** Delete the hook once it succeeded. */
  HOOK_SUCCEEDED,
  /** Delete the hook once it failed. */
  HOOK_FAILED
}
