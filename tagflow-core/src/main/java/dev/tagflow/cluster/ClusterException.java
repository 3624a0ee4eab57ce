package dev.tagflow.cluster;

import dev.tagflow.TagflowException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one way a call through {@link ClusterGateway} fails: a {@link ClusterFailure} saying what a
 * caller must tell apart, the server's own message, and what Tagflow was doing.
 *
 * <p>fabric8's {@link KubernetesClientException} is turned into this at the gateway and nowhere
 * else, so the status code is read, the server's message extracted and an immutable field
 * recognised in one place.
 */
public final class ClusterException extends TagflowException {

  /**
   * What the API server says when a field cannot change (the causes of a 422), as kubectl and Flux
   * recognise it: {@code field is immutable} (selectors, Job templates, a Secret's type, an
   * immutable ConfigMap), {@code spec is immutable after creation} (PVCs), {@code Value is
   * immutable} (CEL rules of CRDs), {@code may not change once set} (a Service's clusterIPs),
   * {@code pod updates may not change fields other than …}, and the StatefulSet's {@code updates to
   * statefulset spec for fields other than … are forbidden}. Only a 422 is read this way: any other
   * refusal must be fixed in Git, not answered by deleting the live object.
   */
  private static final List<Pattern> IMMUTABLE =
      List.of(
          Pattern.compile("\\bis immutable\\b", Pattern.CASE_INSENSITIVE),
          Pattern.compile("\\bimmutable field\\b", Pattern.CASE_INSENSITIVE),
          Pattern.compile("\\bmay not change\\b", Pattern.CASE_INSENSITIVE),
          Pattern.compile(
              "\\bupdates to \\w+ spec for fields other than .* are forbidden",
              Pattern.CASE_INSENSITIVE));

  private final ClusterFailure failure;
  private final String serverMessage;

  /**
   * A failure with a message of its own.
   *
   * @param what what Tagflow was doing ({@code could not read ConfigMap/shop/web})
   * @param serverMessage why, in the server's words (or the network's)
   */
  public ClusterException(
      ClusterFailure failure, String what, String serverMessage, Throwable cause) {
    super(
        failure.isInvalidInput() ? Reason.INVALID_INPUT : Reason.FAILED,
        what + ": " + serverMessage,
        cause);
    this.failure = Objects.requireNonNull(failure, "failure");
    this.serverMessage = serverMessage;
  }

  /** The failure of a call that fabric8 reports as {@code e}. */
  public static ClusterException of(String what, KubernetesClientException e) {
    String message = serverMessage(e);
    return new ClusterException(classify(e.getCode(), e, message), what, message, e);
  }

  /** What a caller must tell apart. */
  public ClusterFailure failure() {
    return failure;
  }

  /** Whether it failed for that reason. */
  public boolean is(ClusterFailure reason) {
    return failure == reason;
  }

  /** Why, in the server's words ({@code Deployment.apps "web" is invalid: …}) or the network's. */
  public String serverMessage() {
    return serverMessage;
  }

  /** The same failure, said about what the caller was doing. */
  public ClusterException about(String what) {
    return new ClusterException(failure, what, serverMessage, this);
  }

  static ClusterFailure classify(int code, KubernetesClientException e, String message) {
    if (code <= 0) {
      return ioCause(e) != null ? ClusterFailure.UNAVAILABLE : ClusterFailure.UNEXPECTED;
    }
    return switch (code) {
      case 400, 405, 406, 413, 415 -> ClusterFailure.INVALID;
      case 401, 403 -> ClusterFailure.FORBIDDEN;
      case 404 -> ClusterFailure.NOT_FOUND;
      case 409 -> ClusterFailure.CONFLICT;
      case 422 ->
          isImmutable(message, e.getStatus()) ? ClusterFailure.IMMUTABLE : ClusterFailure.INVALID;
      case 429 -> ClusterFailure.UNAVAILABLE;
      default -> code >= 500 ? ClusterFailure.UNAVAILABLE : ClusterFailure.UNEXPECTED;
    };
  }

  private static boolean isImmutable(String message, Status status) {
    List<String> texts = new ArrayList<>();
    texts.add(message);
    if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null) {
      for (StatusCause cause : status.getDetails().getCauses()) {
        texts.add(cause.getMessage() == null ? "" : cause.getMessage());
      }
    }
    return texts.stream().anyMatch(t -> IMMUTABLE.stream().anyMatch(p -> p.matcher(t).find()));
  }

  /**
   * The server's message when it answered with one; otherwise what the network said (connection
   * refused, timed out); otherwise fabric8's own message.
   */
  static String serverMessage(KubernetesClientException e) {
    Status status = e.getStatus();
    if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
      return status.getMessage();
    }
    IOException io = ioCause(e);
    if (io != null) {
      return "the API server could not be reached: " + describe(io);
    }
    if (e.getCode() > 0) {
      return "HTTP " + e.getCode() + " with no message";
    }
    return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
  }

  /** What the network said, from the most telling failure in the chain of causes. */
  private static String describe(IOException io) {
    IOException deepest = io;
    for (Throwable t = io; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof HttpTimeoutException) {
        return "no answer within the request timeout";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof IOException deeper && deeper.getMessage() != null) {
        deepest = deeper;
      }
    }
    String text = deepest.getMessage();
    return text == null || text.isBlank()
        ? "the connection was closed or reset (" + deepest.getClass().getSimpleName() + ")"
        : text;
  }

  /** The first network failure in the chain of causes, if the request never got an answer. */
  private static IOException ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return io;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
