/**
 * Network faults for tests: {@link dev.tagflow.local.net.FaultyLink}, a loopback TCP proxy in front
 * of an API server (TLS passes through as bytes) that a test switches to pass, refuse new
 * connections, reset open ones, cut both, or delay — the outages that cannot be produced by
 * stopping a process.
 */
package dev.tagflow.local.net;
