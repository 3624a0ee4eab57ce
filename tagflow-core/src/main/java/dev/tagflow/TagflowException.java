package dev.tagflow;

/**
 * A failure a person can act on: the message says what went wrong, where, and how to fix it.
 *
 * <p>Commands print only the message of such a failure; anything else is a bug and shows its stack
 * trace only with {@code --debug}. The message is redacted ({@link UrlRedaction}) when the failure
 * is made, so a URL with credentials in it cannot reach whoever reads it.
 */
public class TagflowException extends RuntimeException {

  /** Whether the person gave us something wrong, or something we tried did not work. */
  public enum Reason {
    /** The input was wrong (a flag, a file, a name): fix it and try again. */
    INVALID_INPUT,
    /** The input was fine, but the operation failed (a build, a process, the network). */
    FAILED
  }

  private final Reason reason;

  public TagflowException(Reason reason, String message) {
    super(UrlRedaction.redact(message));
    this.reason = reason;
  }

  public TagflowException(Reason reason, String message, Throwable cause) {
    super(UrlRedaction.redact(message), cause);
    this.reason = reason;
  }

  public static TagflowException invalidInput(String message) {
    return new TagflowException(Reason.INVALID_INPUT, message);
  }

  public static TagflowException failed(String message) {
    return new TagflowException(Reason.FAILED, message);
  }

  public static TagflowException failed(String message, Throwable cause) {
    return new TagflowException(Reason.FAILED, message, cause);
  }

  public Reason reason() {
    return reason;
  }
}
