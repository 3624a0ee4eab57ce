/**
 * Benches of {@code tagflow server} as a process: its built-in Git server ({@code GitPushLatency}),
 * and {@link dev.tagflow.bench.server.TagflowServerProcess}, the one way every bench starts a real
 * server process (the pipeline's, the lead time's, the side-by-side with Flux, the web bench's).
 */
package dev.tagflow.bench.server;
