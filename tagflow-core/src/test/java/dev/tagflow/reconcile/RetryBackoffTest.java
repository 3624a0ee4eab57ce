package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.app.SyncPolicy;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

  /** A random source that always answers the same value. */
  private static RandomGenerator fixed(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  private final RetryBackoff argoDefaults =
      RetryBackoff.of(
          new SyncPolicy.Retry(
              5, new SyncPolicy.Backoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(3))));

  @Test
  void waitsGrowByTheFactorUpToTheMaximum() {
    List<Long> seconds =
        IntStream.rangeClosed(1, 8).mapToObj(n -> argoDefaults.base(n).toSeconds()).toList();

    assertThat(seconds).containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 180L, 180L);
  }

  @Test
  void theLimitCountsRetriesNotAttempts() {
    assertThat(argoDefaults.delay(5, fixed(0))).contains(Duration.ofSeconds(80));
    assertThat(argoDefaults.delay(6, fixed(0))).isEmpty();
  }

  @Test
  void aNegativeLimitRetriesForever() {
    RetryBackoff forever = new RetryBackoff(-1, Duration.ofSeconds(5), 2, Duration.ofMinutes(5), 0);

    assertThat(forever.delay(1_000, fixed(0))).contains(Duration.ofMinutes(5));
  }

  @Test
  void jitterOnlyShortensAWaitAndByAtMostItsShare() {
    Duration longest = argoDefaults.delay(3, fixed(0)).orElseThrow();
    Duration shortest = argoDefaults.delay(3, fixed(0.999999)).orElseThrow();
    Duration middle = argoDefaults.delay(3, fixed(0.5)).orElseThrow();

    assertThat(longest).isEqualTo(Duration.ofSeconds(20));
    assertThat(middle).isEqualTo(Duration.ofSeconds(18));
    assertThat(shortest).isGreaterThanOrEqualTo(Duration.ofSeconds(16));
  }

  @Test
  void aWaitNeverExceedsTheMaximumWhateverTheJitter() {
    for (double r : new double[] {0, 0.3, 0.99}) {
      assertThat(argoDefaults.delay(30, fixed(r)).orElse(Duration.ZERO))
          .isLessThanOrEqualTo(Duration.ofMinutes(3));
    }
  }

  @Test
  void describesTheAttemptAgainstTheLimit() {
    assertThat(argoDefaults.describe(2)).isEqualTo("2 of 5");
    assertThat(RetryBackoff.ERRORS.describe(7)).isEqualTo("7");
  }
}
