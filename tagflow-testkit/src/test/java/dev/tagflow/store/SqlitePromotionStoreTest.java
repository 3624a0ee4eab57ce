package dev.tagflow.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The promotion-request contract on a SQLite file. */
class SqlitePromotionStoreTest extends PromotionStoreContract {

  @TempDir Path dataDir;

  @Override
  protected StoreOptions options() {
    return StoreOptions.defaults(DatabaseUrl.inDataDir(dataDir));
  }
}
