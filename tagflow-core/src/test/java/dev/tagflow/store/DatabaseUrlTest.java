package dev.tagflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

  @Test
  void theDefaultIsTagflowDbInTheDataDirectory() {
    DatabaseUrl url = DatabaseUrl.inDataDir(Path.of("/var/lib/tagflow"));

    assertThat(url).isEqualTo(new DatabaseUrl.Sqlite(Path.of("/var/lib/tagflow/tagflow.db")));
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/tagflow/tagflow.db");
  }

  @Test
  void aSqliteUrlNamesAFile() {
    assertThat(DatabaseUrl.parse(" jdbc:sqlite:/data/t.db ", "tagflow.yaml:3:11"))
        .isEqualTo(new DatabaseUrl.Sqlite(Path.of("/data/t.db")));
  }

  @Test
  void aRelativeSqlitePathIsMadeAbsolute() {
    DatabaseUrl.Sqlite url = (DatabaseUrl.Sqlite) DatabaseUrl.parse("jdbc:sqlite:t.db", "here");
    assertThat(url.file()).isAbsolute().hasFileName("t.db");
  }

  @Test
  void anInMemorySqliteDatabaseIsRefusedBecauseARestartWouldLoseIt() {
    assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:sqlite::memory:", "tagflow.yaml:3:11"))
        .isInstanceOf(TagflowException.class)
        .hasMessageStartingWith(
            "tagflow.yaml:3:11: database 'jdbc:sqlite::memory:' is an in-memory")
        .hasMessageContaining("jdbc:sqlite:/var/lib/tagflow/tagflow.db")
        .extracting(e -> ((TagflowException) e).reason())
        .isEqualTo(TagflowException.Reason.INVALID_INPUT);
  }

  @Test
  void sqliteOptionsInTheUrlAreRefusedSinceTagflowSetsThem() {
    assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:sqlite:/d/t.db?journal_mode=DELETE", "f:1:1"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("write it as jdbc:sqlite:<path>");
  }

  @Test
  void aPostgresqlPasswordIsHiddenWhereverItIsWritten() {
    DatabaseUrl url =
        DatabaseUrl.parse(
            "jdbc:postgresql://db:5432/tagflow?user=tf&password=hunter2&sslpassword=k3y&ssl=true",
            "f");

    assertThat(url.redacted())
        .isEqualTo(
            "jdbc:postgresql://db:5432/tagflow?user=tf&password=***&sslpassword=***&ssl=true");
    assertThat(url.toString()).isEqualTo(url.redacted());
    assertThat(url.secrets()).containsExactlyInAnyOrder("hunter2", "k3y");
    assertThat(url.jdbcUrl()).contains("hunter2");
  }

  @Test
  void aPasswordBeforeTheHostIsHiddenToo() {
    DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://tf:hunter2@db/tagflow", "f");

    assertThat(url.redacted()).isEqualTo("jdbc:postgresql://tf:***@db/tagflow");
    assertThat(url.secrets()).containsExactly("hunter2");
  }

  @Test
  void aPostgresqlUrlWithoutServerIsRefused() {
    assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql:tagflow?password=x1y2", "f:2:3"))
        .isInstanceOf(TagflowException.class)
        .hasMessage(
            "f:2:3: database 'jdbc:postgresql:tagflow?password=***' names no server; write it as"
                + " jdbc:postgresql://host:5432/tagflow");
  }

  @Test
  void anotherDatabaseIsRefusedNamingTheTwoThatWorkWithoutShowingItsPassword() {
    assertThatThrownBy(
            () -> DatabaseUrl.parse("jdbc:mysql://root:pw9@db/tagflow?password=pw9", "f:4:11"))
        .isInstanceOf(TagflowException.class)
        .hasMessage(
            "f:4:11: database 'jdbc:mysql://db/tagflow?password=***' is not supported; use"
                + " jdbc:sqlite:<path> (the default is <dataDir>/tagflow.db) or"
                + " jdbc:postgresql://host:5432/<database>");
  }

  @Test
  void optionsDoNotShowThePassword() {
    StoreOptions options =
        StoreOptions.defaults(DatabaseUrl.parse("jdbc:postgresql://db/t", "f"))
            .withCredentials("tf", "hunter2");

    assertThat(options.toString()).doesNotContain("hunter2").contains("password=***");
  }
}
