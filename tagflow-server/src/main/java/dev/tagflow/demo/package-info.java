/**
 * The demo ({@code tagflow demo}, {@code make demo}): Tagflow's whole tag-to-production flow on one
 * machine, told as a story.
 *
 * <p>{@link dev.tagflow.demo.DemoSetup} starts the parts as processes — the local cluster (with the
 * release {@code v1.1.0}'s image made never Ready by a kwok stage), the registry and {@code tagflow
 * server} with its own Git server — in {@code <data-dir>/demo}, stopping what an earlier demo left
 * there first, and stops them all when the demo ends or is interrupted (a watchdog stops them when
 * the demo's JVM is killed). {@link dev.tagflow.demo.DemoStory} then plays the flow: the app and
 * environment repositories (the resource files under {@code dev/tagflow/demo/}, meant to be read as
 * examples) pushed with the real {@code git}, {@code v1.0.0} tagged and released to dev, staging
 * and — after the release manager's approval — production, {@code v1.1.0} rolled back by the health
 * gate, drift healed, and a summary. It reads what the server does from the server's store (runs,
 * statuses, promotion requests), the registry and Git; the server's API is not there yet.
 */
package dev.tagflow.demo;
