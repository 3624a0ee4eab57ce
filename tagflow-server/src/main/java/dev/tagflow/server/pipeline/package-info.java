/**
 * The release pipeline of {@code tagflow server}: {@link
 * dev.tagflow.server.pipeline.PipelineService} turns the ref changes of known repositories into
 * runs of their workflows (one per repository, tag and workflow), stored queued before they wait
 * for a slot and queued again after a restart, with the secrets their workflow names ({@link
 * dev.tagflow.server.pipeline.RunSecrets}); refuses and records what cannot run, cancels on request
 * ({@code cancel-requested} in a run's directory), marks runs a stop cut short as interrupted
 * (their stray processes killed first), and records the images runs pushed. The command line's
 * manual runs ({@code workflow_dispatch}, {@link dev.tagflow.server.pipeline.RefLookup}), reruns
 * and cancels of queued runs arrive as {@link dev.tagflow.server.pipeline.PipelineRequests}.
 */
package dev.tagflow.server.pipeline;
