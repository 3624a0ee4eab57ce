package dev.tagflow.store;

/** What started a sync. */
public enum SyncTrigger {
  /** Automated sync: Git moved and the application's policy syncs on its own. */
  AUTOMATION,
  /** Self-heal: an owned object drifted from Git and was re-applied. */
  SELF_HEAL,
  /** A person asked: a sync or a rollback from the command line, the API or the UI. */
  USER,
  /** The health-gated rollback policy re-applied the last healthy revision. */
  ROLLBACK_POLICY
}
