/**
 * The people's view measured (issue 12): {@link dev.tagflow.bench.web.WebBench} times the REST
 * API's application routes and the board page against a {@code tagflow server} process running
 * 1,000 applications on a local cluster, the board's server-sent events after a status change (on
 * ten open boards, each read by a {@link dev.tagflow.bench.web.BoardStream}), and the server's
 * memory with those boards open. Its method and figures are in BENCHMARKS.md.
 */
package dev.tagflow.bench.web;
