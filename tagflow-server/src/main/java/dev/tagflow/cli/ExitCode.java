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

  private ExitCode() {}
}
