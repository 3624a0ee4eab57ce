package dev.tagflow.store;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The promotion-request contract on a real PostgreSQL server, a fresh database per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresPromotionStoreIT extends PromotionStoreContract {

  @RegisterExtension final PostgresDatabases databases = new PostgresDatabases("promotions");

  @Override
  protected StoreOptions options() {
    return databases.options("PostgresPromotionStoreIT");
  }
}
