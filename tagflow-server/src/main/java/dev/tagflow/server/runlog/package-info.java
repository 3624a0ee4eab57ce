/**
 * A run's log followed live over server-sent events, in one place for the REST API and the web UI:
 * {@link dev.tagflow.server.runlog.RunLogFollower} reads whole lines from a byte offset (a
 * half-written line held back until its end, or until the run ended), sends heartbeats, resumes
 * from {@code Last-Event-ID}, bounds the streams per owner and ends them all, waiting for them, at
 * stop. How a batch of lines and the end are rendered is the route's {@link
 * dev.tagflow.server.runlog.LogFormat}.
 */
package dev.tagflow.server.runlog;
