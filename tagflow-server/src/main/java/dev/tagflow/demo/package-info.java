/**
 * The demo ({@code tagflow demo}, {@code make demo}): Tagflow's whole tag-to-production flow on one
 * machine, told as a story.
 *
 * <p>{@link dev.tagflow.demo.DemoSetup} starts the parts as processes — the local cluster (whose
 * pods of the release {@code v1.1.0}'s image a kwok stage keeps unready), the registry and {@code
 * tagflow server} with its own Git server — in {@code <data-dir>/demo/<name>}, stopping what an
 * earlier demo of that name left there first (refused while one still runs) and skipping ports in
 * use, and stops them all when the demo ends or is interrupted (watchdogs stop them when the demo's
 * JVM is killed). {@link dev.tagflow.demo.DemoStory} plays the chapters: the app and environment
 * repositories ({@code DemoRepositories}: created over {@code /api/repos}, pushed with the real
 * {@code git}; their files are the resources under {@code dev/tagflow/demo/}, meant to be read as
 * examples, {@code REGISTRY} and {@code ENVIRONMENTS_URL} written in), {@code v1.0.0} tagged and
 * released to dev, staging and — after the release manager's approval — production, {@code v1.1.0}
 * rolled back by the health gate, drift healed, and a summary. {@code Narrator} prints it, with a
 * progress line while a chapter waits. What the server did is read from beside it ({@code
 * DemoObserver}, {@code RunFollower}, {@code ReleaseWatch}): runs, statuses, events and promotion
 * requests from the server's store, Deployments from the cluster, manifests from the registry (the
 * end-to-end test reads the REST API beside them). The summary ends with the web UI's URL and the
 * server's admin token. {@link dev.tagflow.demo.DemoStory.Checkpoints} lets the end-to-end test
 * check each chapter before the next one starts.
 */
package dev.tagflow.demo;
