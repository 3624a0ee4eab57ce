package dev.tagflow.local;

/**
 * A failure of the local setup a person can act on: the message says what went wrong, where, and
 * how to fix it.
 *
 * <p>The local setup depends on no other Tagflow module (so that core's tests may use it), hence
 * its own failure type; the command line reports it as it reports core's {@code
 * LocalSetupException}: the message alone, and an exit code telling bad input from a failed
 * operation.
 */
public final class LocalSetupException extends RuntimeException {

  private final boolean invalidInput;

  private LocalSetupException(boolean invalidInput, String message, Throwable cause) {
    super(message, cause);
    this.invalidInput = invalidInput;
  }

  /** The input was wrong (a port, a name): fix it and try again. */
  public static LocalSetupException invalidInput(String message) {
    return new LocalSetupException(true, message, null);
  }

  /** The input was fine, but the operation failed (a build, a process, the network). */
  public static LocalSetupException failed(String message) {
    return new LocalSetupException(false, message, null);
  }

  /** As {@link #failed(String)}, with what caused it. */
  public static LocalSetupException failed(String message, Throwable cause) {
    return new LocalSetupException(false, message, cause);
  }

  /** Whether the person gave something wrong, rather than an operation failing. */
  public boolean invalidInput() {
    return invalidInput;
  }
}
