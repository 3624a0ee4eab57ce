package dev.tagflow.cluster;

/**
 * Why a call to a cluster's API server failed, in the few cases a caller must tell apart: retry
 * later, ask the person to fix Git, recreate the object, or accept that a kind is gone.
 */
public enum ClusterFailure {
  /** The object, or the namespace it goes into, does not exist (404). */
  NOT_FOUND("not found"),
  /**
   * Someone else got there first (409): a field another manager owns (an apply without force), a
   * stale resourceVersion or uid precondition, an object that already exists.
   */
  CONFLICT("conflict"),
  /** The server refused the object as written (400, 405, 415, 422): fix it in Git. */
  INVALID("invalid"),
  /**
   * The server refused a change to a field that cannot change once set (a 422 that says so): the
   * object can only be deleted and created again (Replace=true).
   */
  IMMUTABLE("immutable field"),
  /** The credentials may not do this, or an admission policy refused it (401, 403). */
  FORBIDDEN("forbidden"),
  /**
   * Discovery confirms that the server does not serve the kind (a deleted CRD, a removed API
   * version): its objects cannot exist. The only failure that may be read as "gone".
   */
  GONE_KIND("kind not served"),
  /**
   * The server could not be reached or could not answer in time: connection refused or reset, a
   * timeout, 429, 5xx. Nothing is known about the object; try again later.
   */
  UNAVAILABLE("unavailable"),
  /**
   * A wait ran out before the object got where it had to be: still there after its deletion (a
   * finalizer holds it), a CRD not established, a namespace not active. The server answered; the
   * object did not get there in time.
   */
  TIMED_OUT("timed out"),
  /** An answer none of the others explains (a status code or a body Tagflow does not expect). */
  UNEXPECTED("unexpected answer");

  private final String word;

  ClusterFailure(String word) {
    this.word = word;
  }

  /** How people read it: {@code unavailable}, {@code immutable field}, … */
  public String word() {
    return word;
  }

  /** Whether the same call may well succeed later without anyone changing anything. */
  public boolean isTransient() {
    return this == UNAVAILABLE;
  }

  /** Whether the person's input (Git's objects) is what must change. */
  public boolean isInvalidInput() {
    return this == INVALID || this == IMMUTABLE || this == GONE_KIND;
  }
}
