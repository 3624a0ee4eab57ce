/**
 * The release pipeline of {@code tagflow server}: {@link
 * dev.tagflow.server.pipeline.PipelineService} turns the ref changes of known repositories into
 * runs of their workflows (one per repository, tag and workflow), refuses and records what cannot
 * run, cancels on request ({@code cancel-requested} in a run's directory) and marks runs a stop cut
 * short as interrupted.
 */
package dev.tagflow.server.pipeline;
