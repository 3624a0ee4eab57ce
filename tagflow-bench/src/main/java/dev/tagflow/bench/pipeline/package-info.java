/**
 * Benchmarks of the release pipeline on real parts: {@link
 * dev.tagflow.bench.pipeline.PipelineOverhead} (a tag event to the first step, the last step to the
 * promotion commit) and {@link dev.tagflow.bench.pipeline.LeadTime} (a pushed tag to the
 * application Healthy in dev, split into the pipeline and the delivery, by events or polling). The
 * methods and figures are in BENCHMARKS.md.
 */
package dev.tagflow.bench.pipeline;
