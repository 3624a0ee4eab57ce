package dev.tagflow.store.jdbc;

import dev.tagflow.store.AuditEntry;
import dev.tagflow.store.AuditLog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/** The audit log in the {@code audit_log} table. */
final class JdbcAudit implements AuditLog {

  private final Database database;

  JdbcAudit(Database database) {
    this.database = database;
  }

  @Override
  public void record(AuditEntry entry) {
    database.write(
        "record " + entry.action() + " in the audit log",
        connection -> {
          long seq;
          try (PreparedStatement next =
                  connection.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log");
              ResultSet rows = next.executeQuery()) {
            rows.next();
            seq = rows.getLong(1);
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO audit_log (entry_id, seq, at, actor, action, object, address,"
                      + " result) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setLong(2, seq);
            insert.setLong(3, entry.at().toEpochMilli());
            insert.setString(4, entry.actor());
            insert.setString(5, entry.action());
            insert.setString(6, entry.object());
            insert.setString(7, entry.address());
            insert.setString(8, entry.result());
            return insert.executeUpdate();
          }
        });
  }

  @Override
  public List<AuditEntry> since(Instant since, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return database.read(
        "read the audit log",
        connection -> {
          List<AuditEntry> found = new ArrayList<>();
          // Newest first with the limit, then turned around: the last 'limit' entries, in order.
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT at, actor, action, object, address, result FROM audit_log"
                      + " WHERE at >= ? ORDER BY at DESC, seq DESC LIMIT ?")) {
            query.setLong(1, since.toEpochMilli());
            query.setInt(2, limit);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                found.add(
                    new AuditEntry(
                        Instant.ofEpochMilli(rows.getLong(1)),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getString(5),
                        rows.getString(6)));
              }
            }
          }
          Collections.reverse(found);
          return found;
        });
  }
}
