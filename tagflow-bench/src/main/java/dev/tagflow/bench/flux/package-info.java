/**
 * Tagflow side by side with Flux on the testkit's local cluster: Flux's source-controller and
 * kustomize-controller built once from their Go modules ({@link dev.tagflow.bench.flux.FluxBuild}),
 * run as loopback processes ({@link dev.tagflow.bench.flux.FluxControllers}), and the same fleet of
 * applications delivered by each tool in one run ({@link dev.tagflow.bench.flux.SideBySide}, the
 * entry point). The method and the figures are in BENCHMARKS.md.
 */
package dev.tagflow.bench.flux;
