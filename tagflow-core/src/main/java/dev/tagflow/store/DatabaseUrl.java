package dev.tagflow.store;

import dev.tagflow.TagflowException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the store lives: a SQLite file ({@code jdbc:sqlite:<path>}) or a PostgreSQL database
 * ({@code jdbc:postgresql://host:port/database}). Its {@code toString()} hides any password.
 */
public sealed interface DatabaseUrl {

  /** The name of the default database file in the data directory. */
  String DEFAULT_FILE = "tagflow.db";

  /** The URL as the JDBC driver takes it, passwords included: never log it. */
  String jdbcUrl();

  /** The URL with any password replaced by {@code ***}: for messages and logs. */
  String redacted();

  /** The passwords written in the URL, so that messages can be scrubbed of them. */
  List<String> secrets();

  /**
   * A SQLite database file.
   *
   * @param file an absolute path
   */
  record Sqlite(Path file) implements DatabaseUrl {
    public Sqlite {
      file = file.toAbsolutePath().normalize();
    }

    @Override
    public String jdbcUrl() {
      return "jdbc:sqlite:" + file;
    }

    @Override
    public String redacted() {
      return jdbcUrl();
    }

    @Override
    public List<String> secrets() {
      return List.of();
    }

    @Override
    public String toString() {
      return redacted();
    }
  }

  /**
   * A PostgreSQL database, as the PostgreSQL JDBC driver's URL says it ({@code
   * jdbc:postgresql://host:port/database?user=…}).
   */
  record Postgresql(String jdbcUrl) implements DatabaseUrl {

    static final String PREFIX = "jdbc:postgresql://";

    // password=… and sslpassword=… in the query; user:password@ before the host, should a URL
    // carry one, is hidden too.
    private static final Pattern PASSWORD_PARAMETER =
        Pattern.compile("([?&](?:ssl)?password=)([^&]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern USER_INFO = Pattern.compile("^([a-z:]*//[^/@?]*?:)([^/@?]*)@");

    public Postgresql {
      if (!jdbcUrl.startsWith(PREFIX)) {
        throw new IllegalArgumentException(
            "not a PostgreSQL URL with a server: " + hidePasswords(jdbcUrl));
      }
    }

    @Override
    public String redacted() {
      return hidePasswords(jdbcUrl);
    }

    /** Any URL with what looks like a password in it replaced by {@code ***}. */
    static String hidePasswords(String url) {
      String hidden = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
      return USER_INFO.matcher(hidden).replaceFirst("$1***@");
    }

    @Override
    public List<String> secrets() {
      List<String> found = new ArrayList<>();
      Matcher parameters = PASSWORD_PARAMETER.matcher(jdbcUrl);
      while (parameters.find()) {
        found.add(parameters.group(2));
      }
      Matcher userInfo = USER_INFO.matcher(jdbcUrl);
      if (userInfo.find()) {
        found.add(userInfo.group(2));
      }
      return found.stream().filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public String toString() {
      return redacted();
    }
  }

  /** The default: {@code tagflow.db} in the data directory. */
  static DatabaseUrl inDataDir(Path dataDir) {
    return new Sqlite(dataDir.resolve(DEFAULT_FILE));
  }

  /**
   * Reads a {@code database:} setting.
   *
   * @param where where the text was written, for the error message (e.g. {@code tagflow.yaml:3:11})
   * @throws TagflowException (invalid input) for a URL that is neither SQLite nor PostgreSQL
   */
  static DatabaseUrl parse(String text, String where) {
    String url = text == null ? "" : text.strip();
    if (url.startsWith("jdbc:sqlite:")) {
      String path = url.substring("jdbc:sqlite:".length());
      if (path.isEmpty() || path.startsWith(":memory:") || path.contains("mode=memory")) {
        throw TagflowException.invalidInput(
            where
                + ": database '"
                + url
                + "' is an in-memory SQLite database, which a restart would lose; give a file:"
                + " jdbc:sqlite:/var/lib/tagflow/tagflow.db");
      }
      if (path.startsWith("file:") || path.contains("?")) {
        throw TagflowException.invalidInput(
            where
                + ": database '"
                + url
                + "' is not a plain SQLite file path; write it as jdbc:sqlite:<path>, for example"
                + " jdbc:sqlite:/var/lib/tagflow/tagflow.db (Tagflow sets SQLite's options itself)");
      }
      return new Sqlite(Path.of(path));
    }
    if (url.startsWith("jdbc:postgresql:")) {
      if (!url.startsWith(Postgresql.PREFIX)) {
        throw TagflowException.invalidInput(
            where
                + ": database '"
                + Postgresql.hidePasswords(url)
                + "' names no server; write it as jdbc:postgresql://host:5432/tagflow");
      }
      return new Postgresql(url);
    }
    String shown = Postgresql.hidePasswords(url);
    throw TagflowException.invalidInput(
        where
            + ": database '"
            + shown
            + "' is not supported; use jdbc:sqlite:<path> (the default is <dataDir>/"
            + DEFAULT_FILE
            + ") or jdbc:postgresql://host:5432/<database>");
  }
}
