package dev.tagflow.cli;

/** The exit codes of every tagflow command. */
public final class ExitCode {
  /** The command did what was asked. */
  public static final int OK = 0;

  /** The command was understood but did not succeed. */
  public static final int FAILED = 1;

  /** The command line or an input file was wrong; nothing was changed. */
  public static final int INVALID_INPUT = 2;

  /** A policy refused what was asked (a promotion); nothing was changed. */
  public static final int REFUSED = 3;

  /** The server has no such application or history entry (client verbs: {@code tagflow app}). */
  public static final int NOT_FOUND = 4;

  /**
   * The server refused the credentials (none, unknown, expired or revoked: log in again), or the
   * caller's role does not allow what was asked.
   */
  public static final int AUTH_FAILED = 5;

  /** A wait ({@code app wait}, {@code app sync --wait}) ran out of time; nothing was undone. */
  public static final int TIMEOUT = 6;

  /** The application became Degraded while its health was awaited. */
  public static final int DEGRADED = 7;

  /**
   * The server could not be reached: connection refused, no answer, or a TLS certificate that is
   * not trusted ({@code --ca-file}).
   */
  public static final int UNREACHABLE = 8;

  private ExitCode() {}
}
