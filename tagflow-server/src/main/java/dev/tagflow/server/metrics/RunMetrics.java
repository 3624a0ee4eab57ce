package dev.tagflow.server.metrics;

import dev.tagflow.store.RunRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Pipeline runs as they end: {@code tagflow_pipeline_run_seconds{result}}, a histogram of how long
 * they took by how they ended ({@code success}, {@code failure}, {@code cancelled}, {@code
 * interrupted}).
 */
public final class RunMetrics implements Consumer<RunRecord> {

  static final String RUNS = "tagflow.pipeline.run";

  private final MeterRegistry meters;

  public RunMetrics(MeterRegistry meters) {
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  @Override
  public void accept(RunRecord run) {
    if (run.finished().isEmpty()) {
      return;
    }
    Duration took = Duration.between(run.started(), run.finished().get());
    Timer.builder(RUNS)
        .description("Pipeline runs that ended, by result, and how long they took")
        .tag("result", run.status().name().toLowerCase())
        .register(meters)
        .record(took.isNegative() ? Duration.ZERO : took);
  }
}
