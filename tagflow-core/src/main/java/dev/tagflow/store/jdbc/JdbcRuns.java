package dev.tagflow.store.jdbc;

import dev.tagflow.TagflowException;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Pipeline runs in the {@code runs} table. */
final class JdbcRuns implements RunStore {

  private static final String COLUMNS =
      "run_id, repository, workflow, ref, commit_id, event, status, started_at, finished_at,"
          + " log_path, result";

  private final Database database;

  JdbcRuns(Database database) {
    this.database = database;
  }

  @Override
  public void started(RunRecord run) {
    boolean inserted =
        database.write(
            "record run " + run.runId(),
            connection -> {
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO runs ("
                          + COLUMNS
                          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO"
                          // A queued run starts: the one write that may meet its own row.
                          + " UPDATE SET status = excluded.status, started_at ="
                          + " excluded.started_at WHERE runs.status = 'QUEUED'")) {
                bind(insert, run);
                return insert.executeUpdate() > 0;
              }
            });
    if (!inserted) {
      throw TagflowException.invalidInput(
          "run " + run.runId() + " is stored already; a run id is used once");
    }
  }

  @Override
  public void queued(RunRecord run, String request) {
    if (run.status() != RunRecord.RunStatus.QUEUED) {
      throw new IllegalArgumentException("run " + run.runId() + " is " + run.status());
    }
    boolean inserted =
        database.write(
            "record queued run " + run.runId(),
            connection -> {
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO runs ("
                          + COLUMNS
                          + ", request) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT"
                          + " (run_id) DO NOTHING")) {
                bind(insert, run);
                insert.setString(12, request);
                return insert.executeUpdate() > 0;
              }
            });
    if (!inserted) {
      throw TagflowException.invalidInput(
          "run " + run.runId() + " is stored already; a run id is used once");
    }
  }

  @Override
  public List<QueuedRun> queuedRuns() {
    return database.read(
        "read the queued runs",
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + ", request FROM runs WHERE status = 'QUEUED' ORDER BY started_at, run_id")) {
            List<QueuedRun> runs = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                runs.add(new QueuedRun(run(rows), Rows.text(rows, "request").orElse("{}")));
              }
            }
            return runs;
          }
        });
  }

  @Override
  public List<String> running() {
    return database.read(
        "read the running runs",
        connection -> {
          List<String> ids = new ArrayList<>();
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT run_id FROM runs WHERE status = 'RUNNING' ORDER BY run_id");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              ids.add(rows.getString(1));
            }
          }
          return ids;
        });
  }

  @Override
  public boolean finished(String runId, RunRecord.RunStatus status, Instant at, String result) {
    return database.write(
        "record the end of run " + runId,
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE runs SET status = ?, finished_at = ?, result = ? WHERE run_id = ? AND"
                      + " status IN ('RUNNING', 'QUEUED')")) {
            update.setString(1, status.name());
            update.setLong(2, at.toEpochMilli());
            update.setString(3, result);
            update.setString(4, runId);
            return update.executeUpdate() > 0;
          }
        });
  }

  @Override
  public Optional<RunRecord> get(String runId) {
    List<RunRecord> found = query("read run " + runId, "WHERE run_id = ?", List.of(runId), 1);
    return found.stream().findFirst();
  }

  @Override
  public List<RunRecord> forRef(String repository, String workflow, String ref) {
    return query(
        "read the runs of " + workflow + " for " + ref,
        "WHERE repository = ? AND workflow = ? AND ref = ?",
        List.of(repository, workflow, ref),
        Integer.MAX_VALUE);
  }

  @Override
  public List<RunRecord> latest(int limit) {
    return query("read the latest runs", "", List.of(), limit);
  }

  @Override
  public List<String> markInterrupted(Instant at) {
    return database.write(
        "mark interrupted runs",
        connection -> {
          List<String> ids = new ArrayList<>();
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT run_id FROM runs WHERE status = 'RUNNING' ORDER BY run_id");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              ids.add(rows.getString(1));
            }
          }
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE runs SET status = 'INTERRUPTED', finished_at = ? WHERE status ="
                      + " 'RUNNING'")) {
            update.setLong(1, at.toEpochMilli());
            update.executeUpdate();
          }
          return ids;
        });
  }

  private List<RunRecord> query(String what, String where, List<String> args, int limit) {
    return database.read(
        what,
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM runs "
                      + where
                      + " ORDER BY started_at DESC, run_id DESC")) {
            for (int i = 0; i < args.size(); i++) {
              query.setString(i + 1, args.get(i));
            }
            List<RunRecord> runs = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next() && runs.size() < limit) {
                runs.add(run(rows));
              }
            }
            return runs;
          }
        });
  }

  /** Sets the first eleven parameters, {@link #COLUMNS} in order, to the run's values. */
  private static void bind(PreparedStatement insert, RunRecord run) throws SQLException {
    insert.setString(1, run.runId());
    insert.setString(2, run.repository());
    insert.setString(3, run.workflow());
    insert.setString(4, run.ref());
    insert.setString(5, run.commit());
    insert.setString(6, run.event());
    insert.setString(7, run.status().name());
    insert.setLong(8, run.started().toEpochMilli());
    Rows.setTime(insert, 9, run.finished());
    insert.setString(10, run.log());
    Rows.setText(insert, 11, run.result());
  }

  private static RunRecord run(ResultSet row) throws SQLException {
    return new RunRecord(
        row.getString("run_id"),
        row.getString("repository"),
        row.getString("workflow"),
        row.getString("ref"),
        row.getString("commit_id"),
        row.getString("event"),
        RunRecord.RunStatus.valueOf(row.getString("status")),
        Rows.time(row, "started_at"),
        Rows.optionalTime(row, "finished_at"),
        row.getString("log_path"),
        Rows.text(row, "result"));
  }
}
