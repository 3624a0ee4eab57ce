package dev.tagflow.cli.client;

/**
 * A client verb's failure: a message a person can act on (what, where, how to fix it; never a
 * credential) and the exit code a script tells it apart by ({@code dev.tagflow.cli.ExitCode}).
 */
public final class ClientFailure extends RuntimeException {

  private final int exitCode;

  public ClientFailure(int exitCode, String message) {
    // No stack trace: it is the verb's answer, shown as one line.
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
