package dev.tagflow.promote;

import java.util.List;
import java.util.Optional;

/**
 * What a promotion did, per environment, in the order asked. Either every environment was accepted
 * and written (or found already there), or none was written and the refused ones say why.
 */
public record PromotionResult(List<Outcome> outcomes) {

  public PromotionResult {
    outcomes = List.copyOf(outcomes);
  }

  /** Whether any environment refused the release (and so nothing was written). */
  public boolean refused() {
    return outcomes.stream().anyMatch(o -> o instanceof Refused);
  }

  /** What happened in one environment. */
  public sealed interface Outcome {
    String environment();
  }

  /**
   * The change was pushed to {@code branch} as {@code commit}.
   *
   * @param attempts how many pushes it took (more than one when someone pushed in between)
   */
  public record Written(
      String environment, String branch, String commit, String summary, int attempts)
      implements Outcome {}

  /** The environment already had these values on {@code branch} at {@code commit}. */
  public record Unchanged(String environment, String branch, String commit) implements Outcome {}

  /** A promotion request waits for approval; the change is on {@code branch} at {@code commit}. */
  public record Requested(
      String environment, long requestId, String branch, String commit, int requiredApprovals)
      implements Outcome {}

  /**
   * Refused, and nothing was written; {@code rule} names the policy rule that refused it ({@code
   * environments/policy.yaml:18:9}) when one did.
   */
  public record Refused(String environment, Optional<String> rule, String message)
      implements Outcome {}
}
