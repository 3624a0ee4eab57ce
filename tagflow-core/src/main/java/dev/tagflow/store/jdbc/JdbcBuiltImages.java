package dev.tagflow.store.jdbc;

import dev.tagflow.store.BuiltImage;
import dev.tagflow.store.BuiltImageStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The images runs pushed, in the {@code built_images} table. */
final class JdbcBuiltImages implements BuiltImageStore {

  private static final String COLUMNS =
      "run_id, position, repository, ref, commit_id, image, digest, tags, built_at";

  private final Database database;

  JdbcBuiltImages(Database database) {
    this.database = database;
  }

  @Override
  public void record(List<BuiltImage> images) {
    if (images.isEmpty()) {
      return;
    }
    database.write(
        "record the images of run " + images.getFirst().runId(),
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO built_images ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, position) DO"
                      + " NOTHING")) {
            int position = 0;
            for (BuiltImage image : images) {
              insert.setString(1, image.runId());
              insert.setInt(2, position++);
              insert.setString(3, image.repository());
              insert.setString(4, image.ref());
              insert.setString(5, image.commit());
              insert.setString(6, image.image());
              insert.setString(7, image.digest());
              // A tag has no whitespace (OCI's rule), so a line per tag reads back exactly.
              insert.setString(8, String.join("\n", image.tags()));
              insert.setLong(9, image.builtAt().toEpochMilli());
              insert.addBatch();
            }
            insert.executeBatch();
            return null;
          }
        });
  }

  @Override
  public List<BuiltImage> ofRun(String runId) {
    return query(
        "read the images of run " + runId,
        "WHERE run_id = ? ORDER BY position",
        List.of(runId),
        Integer.MAX_VALUE);
  }

  @Override
  public List<BuiltImage> latest(String repository, int limit) {
    return repository == null
        ? query(
            "read the latest images",
            "ORDER BY built_at DESC, run_id DESC, position",
            List.of(),
            limit)
        : query(
            "read the latest images of " + repository,
            "WHERE repository = ? ORDER BY built_at DESC, run_id DESC, position",
            List.of(repository),
            limit);
  }

  private List<BuiltImage> query(String what, String rest, List<String> args, int limit) {
    return database.read(
        what,
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement("SELECT " + COLUMNS + " FROM built_images " + rest)) {
            for (int i = 0; i < args.size(); i++) {
              query.setString(i + 1, args.get(i));
            }
            List<BuiltImage> images = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next() && images.size() < limit) {
                images.add(image(rows));
              }
            }
            return images;
          }
        });
  }

  private static BuiltImage image(ResultSet row) throws SQLException {
    String tags = row.getString("tags");
    return new BuiltImage(
        row.getString("run_id"),
        row.getString("repository"),
        row.getString("ref"),
        row.getString("commit_id"),
        row.getString("image"),
        row.getString("digest"),
        tags.isEmpty() ? List.of() : Arrays.asList(tags.split("\n")),
        Rows.time(row, "built_at"));
  }
}
