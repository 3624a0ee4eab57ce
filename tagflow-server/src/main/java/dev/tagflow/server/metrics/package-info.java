/**
 * The server's meters beyond those its parts register themselves, for {@code GET /metrics}: {@link
 * dev.tagflow.server.metrics.ServerMeters} (histograms for durations, the JVM's and process's
 * binders; configured before any meter exists), {@link
 * dev.tagflow.server.metrics.ApplicationMetrics} (per application: {@code tagflow_app_info} with
 * sync and health status, syncs by result, drift, self-heals, rollbacks; removed with the
 * application), {@link dev.tagflow.server.metrics.RunMetrics} (pipeline run durations by result)
 * and {@link dev.tagflow.server.metrics.HttpMetrics} (requests by route template, method and
 * status). Every name and label: {@code docs/metrics.md}.
 */
package dev.tagflow.server.metrics;
