/**
 * A real OCI registry for tests, the demo and the local setup: {@link
 * dev.tagflow.local.registry.LocalRegistry}, Debian's {@code docker-registry} run as a process on
 * the first free port from the one asked ({@code scripts/install-deps} installs it).
 *
 * <pre>{@code
 * try (LocalRegistry registry = LocalRegistry.start(stateDir, 15000, true)) {
 *   String host = registry.address();           // 127.0.0.1:15000, for image references
 *   registry.manifestDigest("shop/web", "1.2.3"); // Optional: what /v2 serves, hashed
 * }
 * }</pre>
 *
 * <p>Plain HTTP on loopback by default; {@code startWithLogin} serves HTTPS with a login, and
 * {@code startOn} another address. An attached registry stops with the process that started it.
 */
package dev.tagflow.local.registry;
