package dev.tagflow.store.jdbc;

import dev.tagflow.TagflowException;
import dev.tagflow.store.PromotionDraft;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.PromotionRecord.Approval;
import dev.tagflow.store.PromotionRecord.PromotionState;
import dev.tagflow.store.PromotionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Promotion requests in {@code promotions}, {@code promotion_changes} and {@code
 * promotion_approvals}.
 */
final class JdbcPromotions implements PromotionStore {

  private static final String COLUMNS =
      "id, repository, environment, release_name, source, version, commit_id, image,"
          + " image_digest, author, target_branch, promotion_branch, head_commit,"
          + " required_approvals, roles, state, message, merged_commit, created_at, updated_at";

  /** Ids are counted by the store; two writers on PostgreSQL may pick the same one at once. */
  private static final int ID_ATTEMPTS = 20;

  private final Database database;
  private final Clock clock;

  JdbcPromotions(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public PromotionRecord create(PromotionDraft draft) {
    long now = clock.millis();
    return database.write(
        "record a promotion request for " + draft.environment(),
        connection -> {
          long id = insert(connection, draft, now);
          try (PreparedStatement supersede =
              connection.prepareStatement(
                  "UPDATE promotions SET state = ?, message = ?, updated_at = ?"
                      + " WHERE repository = ? AND environment = ? AND state = ? AND id <> ?")) {
            supersede.setString(1, PromotionState.SUPERSEDED.name());
            supersede.setString(2, "superseded by request " + id + " (" + draft.source() + ")");
            supersede.setLong(3, now);
            supersede.setString(4, draft.repository());
            supersede.setString(5, draft.environment());
            supersede.setString(6, PromotionState.PENDING.name());
            supersede.setLong(7, id);
            supersede.executeUpdate();
          }
          return select(connection, id).orElseThrow();
        });
  }

  private static long insert(Connection connection, PromotionDraft draft, long now)
      throws SQLException {
    for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      long id;
      try (PreparedStatement next = connection.prepareStatement("SELECT MAX(id) FROM promotions");
          ResultSet row = next.executeQuery()) {
        row.next();
        id = row.getLong(1) + 1;
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO promotions ("
                  + COLUMNS
                  + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                  + " ON CONFLICT (id) DO NOTHING")) {
        int i = 1;
        insert.setLong(i++, id);
        insert.setString(i++, draft.repository());
        insert.setString(i++, draft.environment());
        insert.setString(i++, draft.release());
        insert.setString(i++, draft.source());
        insert.setString(i++, draft.version());
        insert.setString(i++, draft.commit());
        Rows.setText(insert, i++, draft.image());
        Rows.setText(insert, i++, draft.digest());
        Rows.setText(insert, i++, draft.author());
        insert.setString(i++, draft.targetBranch());
        insert.setString(i++, draft.promotionBranch());
        insert.setString(i++, draft.headCommit());
        insert.setInt(i++, draft.requiredApprovals());
        insert.setString(i++, String.join("\n", draft.roles()));
        insert.setString(i++, PromotionState.PENDING.name());
        insert.setString(i++, "");
        Rows.setText(insert, i++, Optional.empty());
        insert.setLong(i++, now);
        insert.setLong(i, now);
        if (insert.executeUpdate() == 0) {
          continue;
        }
      }
      try (PreparedStatement changes =
          connection.prepareStatement(
              "INSERT INTO promotion_changes (promotion_id, position, path, value)"
                  + " VALUES (?, ?, ?, ?)")) {
        int position = 0;
        for (PromotionDraft.Change change : draft.changes()) {
          changes.setLong(1, id);
          changes.setInt(2, position++);
          changes.setString(3, change.path());
          changes.setString(4, change.value());
          changes.addBatch();
        }
        changes.executeBatch();
      }
      return id;
    }
    throw TagflowException.failed(
        "could not find a free id for a promotion request after "
            + ID_ATTEMPTS
            + " attempts; too many requests are being made at once, try again");
  }

  @Override
  public Optional<PromotionRecord> get(long id) {
    return database.read("read promotion request " + id, connection -> select(connection, id));
  }

  @Override
  public List<PromotionRecord> list(Optional<PromotionState> state) {
    return database.read(
        "list promotion requests",
        connection -> {
          List<Long> ids = new ArrayList<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT id FROM promotions"
                      + (state.isPresent() ? " WHERE state = ?" : "")
                      + " ORDER BY id DESC")) {
            if (state.isPresent()) {
              query.setString(1, state.get().name());
            }
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                ids.add(rows.getLong(1));
              }
            }
          }
          List<PromotionRecord> records = new ArrayList<>();
          for (long id : ids) {
            select(connection, id).ifPresent(records::add);
          }
          return records;
        });
  }

  @Override
  public PromotionRecord approve(long id, Approval approval) {
    return database.write(
        "approve promotion request " + id,
        connection -> {
          PromotionRecord request =
              select(connection, id)
                  .orElseThrow(
                      () ->
                          TagflowException.invalidInput(
                              "there is no promotion request "
                                  + id
                                  + "; see tagflow approvals list"));
          if (request.state() != PromotionState.PENDING) {
            throw TagflowException.invalidInput(
                "promotion request "
                    + id
                    + " is "
                    + request.state().displayName().toLowerCase()
                    + ", not pending: only a pending request can be approved");
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO promotion_approvals (promotion_id, approver, role, at)"
                      + " VALUES (?, ?, ?, ?) ON CONFLICT (promotion_id, approver) DO NOTHING")) {
            insert.setLong(1, id);
            insert.setString(2, approval.approver());
            Rows.setText(insert, 3, approval.role());
            insert.setLong(4, approval.at().toEpochMilli());
            if (insert.executeUpdate() == 0) {
              throw TagflowException.invalidInput(
                  approval.approver()
                      + " already approved promotion request "
                      + id
                      + "; it needs approvals from "
                      + request.draft().requiredApprovals()
                      + " different people");
            }
          }
          try (PreparedStatement touch =
              connection.prepareStatement("UPDATE promotions SET updated_at = ? WHERE id = ?")) {
            touch.setLong(1, clock.millis());
            touch.setLong(2, id);
            touch.executeUpdate();
          }
          return select(connection, id).orElseThrow();
        });
  }

  @Override
  public Optional<PromotionRecord> transition(
      long id,
      PromotionState from,
      PromotionState to,
      String message,
      Optional<String> mergedCommit) {
    return database.write(
        "move promotion request " + id + " to " + to.displayName(),
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE promotions SET state = ?, message = ?,"
                      + " merged_commit = COALESCE(?, merged_commit), updated_at = ?"
                      + " WHERE id = ? AND state = ?")) {
            update.setString(1, to.name());
            update.setString(2, message);
            Rows.setText(update, 3, mergedCommit);
            update.setLong(4, clock.millis());
            update.setLong(5, id);
            update.setString(6, from.name());
            if (update.executeUpdate() == 0) {
              return Optional.empty();
            }
          }
          return select(connection, id);
        });
  }

  private static Optional<PromotionRecord> select(Connection connection, long id)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT " + COLUMNS + " FROM promotions WHERE id = ?")) {
      query.setLong(1, id);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        String roles = row.getString("roles");
        PromotionDraft draft =
            new PromotionDraft(
                row.getString("repository"),
                row.getString("environment"),
                row.getString("release_name"),
                row.getString("source"),
                row.getString("version"),
                row.getString("commit_id"),
                Rows.text(row, "image"),
                Rows.text(row, "image_digest"),
                Rows.text(row, "author"),
                changes(connection, id),
                row.getString("target_branch"),
                row.getString("promotion_branch"),
                row.getString("head_commit"),
                row.getInt("required_approvals"),
                roles.isEmpty() ? List.of() : Arrays.asList(roles.split("\n")));
        return Optional.of(
            new PromotionRecord(
                id,
                draft,
                PromotionState.valueOf(row.getString("state")),
                row.getString("message"),
                Rows.text(row, "merged_commit"),
                approvals(connection, id),
                Rows.time(row, "created_at"),
                Rows.time(row, "updated_at")));
      }
    }
  }

  private static List<PromotionDraft.Change> changes(Connection connection, long id)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT path, value FROM promotion_changes WHERE promotion_id = ? ORDER BY position")) {
      query.setLong(1, id);
      try (ResultSet rows = query.executeQuery()) {
        List<PromotionDraft.Change> changes = new ArrayList<>();
        while (rows.next()) {
          changes.add(new PromotionDraft.Change(rows.getString(1), rows.getString(2)));
        }
        return changes;
      }
    }
  }

  private static List<Approval> approvals(Connection connection, long id) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT approver, role, at FROM promotion_approvals WHERE promotion_id = ?"
                + " ORDER BY at, approver")) {
      query.setLong(1, id);
      try (ResultSet rows = query.executeQuery()) {
        List<Approval> approvals = new ArrayList<>();
        while (rows.next()) {
          approvals.add(
              new Approval(rows.getString(1), Rows.text(rows, "role"), Rows.time(rows, "at")));
        }
        return approvals;
      }
    }
  }
}
