package dev.tagflow.cli;

import picocli.CommandLine.Option;

/** The {@code --database} option of local verbs that read the server's store. */
final class DatabaseOption {

  @Option(
      names = "--database",
      paramLabel = "<url>",
      description =
          "The server's database, jdbc:sqlite:<file> or jdbc:postgresql://host:5432/<db>"
              + " (default: SQLite in <data-dir>/tagflow.db).")
  String database;
}
