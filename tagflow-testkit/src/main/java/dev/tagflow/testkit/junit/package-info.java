/**
 * The test library over the local setup, for tests only: {@link
 * dev.tagflow.testkit.junit.LocalClusterExtension} gives a test a real cluster ({@link
 * dev.tagflow.local.cluster.LocalCluster} of tagflow-local, one per test JVM, started on first use)
 * and a {@link dev.tagflow.testkit.junit.TestNamespace} of its own, deleted afterwards (a test
 * class takes it with {@code ExtendWith(LocalClusterExtension.class)}; README's "In tests").
 *
 * <p>A module takes tagflow-testkit in test scope only: the product depends on tagflow-local, which
 * holds no test library, so the {@code tagflow} command does not ship JUnit. Failsafe runs a
 * module's ITs in one JVM, so they share one cluster.
 */
package dev.tagflow.testkit.junit;
