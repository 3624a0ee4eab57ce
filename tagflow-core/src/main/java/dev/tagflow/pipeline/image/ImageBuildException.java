package dev.tagflow.pipeline.image;

import dev.tagflow.TagflowException;

/** An image that could not be built or pushed, with why in one word a caller can act on. */
public final class ImageBuildException extends TagflowException {

  /** Why the build failed. */
  public enum Failure {
    /** The spec is wrong: a missing jar, a bad reference or tag, no entrypoint. */
    INVALID_SPEC,
    /** The base image does not exist in its registry. */
    BASE_IMAGE_NOT_FOUND,
    /** A registry refused the credentials, or asked for credentials none were given for. */
    AUTH_REFUSED,
    /** A registry could not be reached (no such host, connection refused, timeout). */
    REGISTRY_UNREACHABLE,
    /** A registry answers only over plain HTTP or with an unverifiable certificate. */
    INSECURE_REFUSED,
    /** A registry answered with an error not named above. */
    REGISTRY_ERROR
  }

  private final Failure failure;

  ImageBuildException(Failure failure, String message) {
    super(failure == Failure.INVALID_SPEC ? Reason.INVALID_INPUT : Reason.FAILED, message);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
