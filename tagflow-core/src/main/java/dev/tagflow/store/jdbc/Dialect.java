package dev.tagflow.store.jdbc;

/** What differs between the two databases the store runs on. */
enum Dialect {
  SQLITE("BLOB"),
  POSTGRESQL("BYTEA");

  private final String binaryType;

  Dialect(String binaryType) {
    this.binaryType = binaryType;
  }

  /** The column type for bytes, filled into the migrations' {@code ${binary}}. */
  String binaryType() {
    return binaryType;
  }
}
