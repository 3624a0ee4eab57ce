/**
 * The local setup as a product feature ({@code tagflow cluster}, {@code tagflow demo}) and the real
 * parts tests run against: a Kubernetes control plane built from its Go modules ({@code cluster}),
 * an OCI registry ({@code registry}), PostgreSQL ({@code postgres}), the {@code git} command
 * ({@code git}), the processes they run as ({@code process}) and network faults in front of them
 * ({@code net}).
 *
 * <p>It holds no test library (the JUnit extension over it is in tagflow-testkit, test-only) and
 * depends on no other Tagflow module, so that core's tests can use it; its failures a person can
 * act on are {@link dev.tagflow.local.LocalSetupException}s.
 */
package dev.tagflow.local;
