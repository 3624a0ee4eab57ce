/**
 * The store on SQLite or PostgreSQL through JDBC: {@link dev.tagflow.store.jdbc.JdbcStore}.
 *
 * <p>One class per kind of record ({@code JdbcHistory}, {@code JdbcManifests}, …) holds its SQL,
 * written once for both databases ({@code INSERT … ON CONFLICT}, {@code LIMIT … OFFSET} are common
 * to both). {@code Database} owns the connections: on SQLite one write connection used by one
 * transaction at a time plus a pool for reads; on PostgreSQL one pool for both. {@code Migrations}
 * runs Flyway, in a class loader of its own that is dropped afterwards ({@code
 * MigrationClassLoader}), and refuses a schema from a newer Tagflow. Nothing here is static or
 * shared between stores: two stores on two databases are independent.
 */
package dev.tagflow.store.jdbc;
