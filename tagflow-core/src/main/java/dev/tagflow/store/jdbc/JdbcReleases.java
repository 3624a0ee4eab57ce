package dev.tagflow.store.jdbc;

import dev.tagflow.TagflowException;
import dev.tagflow.release.Release;
import dev.tagflow.store.ReleaseStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Releases in the {@code releases} and {@code release_images} tables, written once. */
final class JdbcReleases implements ReleaseStore {

  private static final String COLUMNS =
      "id, tag, commit_id, chart_name, chart_version, manifests_hash, created_at";

  private final Database database;

  JdbcReleases(Database database) {
    this.database = database;
  }

  @Override
  public boolean insert(Release release) {
    Release stored = asStored(release);
    return database.write(
        "record release " + release.id(),
        connection -> {
          // ON CONFLICT DO NOTHING: of two writers of the same id at once, one inserts and the
          // other compares, instead of failing on the key.
          if (insertRow(connection, stored)) {
            insertImages(connection, stored);
            return true;
          }
          Release existing = select(connection, stored.id()).orElseThrow();
          if (existing.equals(stored)) {
            return false;
          }
          throw TagflowException.failed(
              "release "
                  + stored.id()
                  + " is already recorded with other content (commit "
                  + existing.commit()
                  + ", manifests "
                  + existing.manifestsHash()
                  + "; now commit "
                  + stored.commit()
                  + ", manifests "
                  + stored.manifestsHash()
                  + "). A release never changes: record the new one under another id");
        });
  }

  @Override
  public Optional<Release> get(String id) {
    return database.read("read release " + id, connection -> select(connection, id));
  }

  @Override
  public List<Release> byCommit(String commit) {
    return database.read(
        "read the releases of commit " + commit,
        connection -> {
          List<String> ids = new ArrayList<>();
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT id FROM releases WHERE commit_id = ? ORDER BY created_at DESC, id")) {
            query.setString(1, commit);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                ids.add(rows.getString(1));
              }
            }
          }
          List<Release> releases = new ArrayList<>();
          for (String id : ids) {
            select(connection, id).ifPresent(releases::add);
          }
          return releases;
        });
  }

  @Override
  public List<Deployment> deployedWith(String digest) {
    return database.read(
        "read the applications running image " + digest,
        connection -> {
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT h.application, h.release_id, h.started_at FROM sync_history h WHERE"
                      + " h.release_id IN (SELECT i.release_id FROM release_images i WHERE"
                      + " i.digest = ?) ORDER BY h.started_at DESC, h.application")) {
            query.setString(1, digest);
            List<Deployment> found = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                if (seen.add(rows.getString(1))) {
                  found.add(
                      new Deployment(
                          rows.getString(1), rows.getString(2), Rows.time(rows, "started_at")));
                }
              }
            }
            return found;
          }
        });
  }

  /** The release as it reads back: the store keeps times to the millisecond. */
  private static Release asStored(Release release) {
    Instant created = release.createdAt().truncatedTo(ChronoUnit.MILLIS);
    return new Release(
        release.id(),
        release.tag(),
        release.commit(),
        release.images(),
        release.chart(),
        release.manifestsHash(),
        created);
  }

  private static boolean insertRow(Connection connection, Release release) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO releases ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
      insert.setString(1, release.id());
      Rows.setText(insert, 2, release.tag());
      insert.setString(3, release.commit());
      Rows.setText(insert, 4, release.chart().map(Release.Chart::name));
      Rows.setText(insert, 5, release.chart().map(Release.Chart::version));
      insert.setString(6, release.manifestsHash());
      insert.setLong(7, release.createdAt().toEpochMilli());
      return insert.executeUpdate() > 0;
    }
  }

  private static void insertImages(Connection connection, Release release) throws SQLException {
    if (release.images().isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO release_images (release_id, position, reference, digest)"
                + " VALUES (?, ?, ?, ?)")) {
      int position = 0;
      for (Release.Image image : release.images()) {
        insert.setString(1, release.id());
        insert.setInt(2, position++);
        insert.setString(3, image.reference());
        Rows.setText(insert, 4, image.digest());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static Optional<Release> select(Connection connection, String id) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT " + COLUMNS + " FROM releases WHERE id = ?")) {
      query.setString(1, id);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        Optional<String> chartName = Rows.text(row, "chart_name");
        Optional<String> chartVersion = Rows.text(row, "chart_version");
        return Optional.of(
            new Release(
                row.getString("id"),
                Rows.text(row, "tag"),
                row.getString("commit_id"),
                images(connection, id),
                chartName.map(name -> new Release.Chart(name, chartVersion.orElseThrow())),
                row.getString("manifests_hash"),
                Rows.time(row, "created_at")));
      }
    }
  }

  private static List<Release.Image> images(Connection connection, String releaseId)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT reference, digest FROM release_images WHERE release_id = ? ORDER BY position")) {
      query.setString(1, releaseId);
      try (ResultSet rows = query.executeQuery()) {
        List<Release.Image> images = new ArrayList<>();
        while (rows.next()) {
          images.add(new Release.Image(rows.getString(1), Rows.text(rows, "digest")));
        }
        return images;
      }
    }
  }
}
