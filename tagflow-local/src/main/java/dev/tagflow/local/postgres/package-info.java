/**
 * A real PostgreSQL server for tests: {@link dev.tagflow.local.postgres.LocalPostgres}.
 *
 * <pre>{@code
 * try (LocalPostgres postgres = LocalPostgres.start()) {
 *   String url = postgres.createDatabase("store_1");   // jdbc:postgresql://127.0.0.1:15432/store_1
 *   // connect as postgres.user() / postgres.password()
 * }
 * }</pre>
 *
 * <p>It uses Debian's {@code postgresql} package (the newest {@code
 * /usr/lib/postgresql/<major>/bin}; {@code scripts/install-deps} installs it) and never the
 * system's own cluster: {@code start()} runs {@code initdb} in a new temp folder ({@code
 * /tmp/tagflow-postgres-*}) with a superuser {@code tagflow} and a generated password (password
 * authentication over TCP), then {@code postgres} on the first free loopback port from 15432,
 * chosen under the testkit's machine-wide port lock, listening on 127.0.0.1 only and on no Unix
 * socket. It is a test server: fsync and synchronous commit are off.
 *
 * <p>PostgreSQL refuses to run as root, and tests and CI run as root: then the server runs as the
 * system user {@code tagflow-test} (created with {@code useradd --system} when missing; {@code
 * nobody} when it cannot be), through {@code setpriv}, and the folder is made that user's.
 *
 * <p>{@code close()} stops the server with a fast shutdown (open sessions end) and deletes the
 * folder. When the JVM dies without closing it, even by SIGKILL, a watchdog stops the server, and
 * the next {@code start()} on the machine deletes the folders of JVMs that are gone.
 */
package dev.tagflow.local.postgres;
