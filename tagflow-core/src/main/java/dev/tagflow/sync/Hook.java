package dev.tagflow.sync;

import java.util.Set;

/**
 * What makes an object a hook: the phase it runs in and when it is deleted. Hooks (Jobs and Pods,
 * usually) are created, awaited until they complete, and are not part of the inventory.
 */
public record Hook(Phase phase, Set<HookDeletePolicy> deletePolicies) {

  public Hook {
    deletePolicies = Set.copyOf(deletePolicies);
  }

  /** Whether the hook object is deleted after it ended this way. */
  public boolean deletedAfter(boolean succeeded) {
    return deletePolicies.contains(
        succeeded ? HookDeletePolicy.HOOK_SUCCEEDED : HookDeletePolicy.HOOK_FAILED);
  }
}
