package dev.tagflow.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.List;

/**
 * The server's registry made ready: durations Prometheus should see as histograms are published
 * with buckets, and the JVM's and process's meters (memory, GC, threads, classes, CPU, open files,
 * uptime) are bound. Call {@link #configure} before anything registers a meter: a filter applies
 * only to meters registered after it.
 */
public final class ServerMeters implements AutoCloseable {

  /** Timers published as histograms (their {@code _bucket} series). */
  private static final List<String> HISTOGRAMS =
      List.of(
          "tagflow.reconcile",
          "tagflow.pipeline.run",
          "tagflow.http.server.requests",
          "tagflow.source.fetch",
          "tagflow.render");

  private final JvmGcMetrics gc;

  private ServerMeters(JvmGcMetrics gc) {
    this.gc = gc;
  }

  public static ServerMeters configure(MeterRegistry meters) {
    meters
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() != Meter.Type.TIMER || !HISTOGRAMS.contains(id.getName())) {
                  return config;
                }
                return DistributionStatisticConfig.builder()
                    .percentilesHistogram(true)
                    // From a webhook's quick answer to a pipeline run of an hour.
                    .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                    .maximumExpectedValue((double) Duration.ofHours(1).toNanos())
                    .build()
                    .merge(config);
              }
            });
    new ClassLoaderMetrics().bindTo(meters);
    new JvmMemoryMetrics().bindTo(meters);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
    new FileDescriptorMetrics().bindTo(meters);
    return new ServerMeters(gc);
  }

  @Override
  public void close() {
    gc.close();
  }
}
