package dev.tagflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.secret.SecretKeyFile;
import dev.tagflow.secret.SecretScope;
import dev.tagflow.secret.Secrets;
import dev.tagflow.store.jdbc.JdbcStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secrets contract on a SQLite file, and the file's own bytes. */
class SqliteSecretsTest extends SecretsContract {

  @TempDir Path dataDir;

  @Override
  protected StoreOptions options() {
    return StoreOptions.defaults(DatabaseUrl.inDataDir(dataDir));
  }

  @Override
  protected Connection inspect() throws SQLException {
    return DriverManager.getConnection(options().database().jdbcUrl());
  }

  @Test
  void noFileOfTheDatabaseHoldsThePlaintext() throws IOException {
    String plaintext = "plaintext-that-must-not-be-on-disk-" + System.nanoTime();
    try (JdbcStore store = open()) {
      new Secrets(store.secrets(), SecretKeyFile.load(dataDir))
          .set(new SecretScope.Project("shop"), "TOKEN", bytes(plaintext));
      // Still open: the write may be in the WAL file only.
      assertThat(databaseFiles()).isNotEmpty().allSatisfy(f -> assertNoPlaintext(f, plaintext));
    }
    assertThat(databaseFiles()).allSatisfy(f -> assertNoPlaintext(f, plaintext));
  }

  private List<Path> databaseFiles() throws IOException {
    try (Stream<Path> files = Files.list(dataDir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("tagflow.db")).toList();
    }
  }

  private static void assertNoPlaintext(Path file, String plaintext) {
    try {
      assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
          .as(file.toString())
          .doesNotContain(plaintext);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
