package dev.tagflow.cluster;

/**
 * How one server-side apply is sent.
 *
 * @param fieldManager the manager that owns the applied fields ({@code tagflow})
 * @param force take fields other managers own (Tagflow's state is Git's; a conflict is drift)
 * @param dryRun let the server compute the result without storing it
 */
public record ApplyCall(String fieldManager, boolean force, boolean dryRun) {

  /** A real apply that takes over conflicting fields. */
  public static ApplyCall forced(String fieldManager) {
    return new ApplyCall(fieldManager, true, false);
  }

  /** A dry-run that takes over conflicting fields: what a forced apply would store. */
  public static ApplyCall dryRun(String fieldManager) {
    return new ApplyCall(fieldManager, true, true);
  }
}
