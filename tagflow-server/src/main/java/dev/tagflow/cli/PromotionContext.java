package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.promote.Approver;
import dev.tagflow.promote.EnvRepoWriter;
import dev.tagflow.promote.EnvironmentHealth;
import dev.tagflow.promote.WriterOptions;
import dev.tagflow.source.RemoteAccess;
import dev.tagflow.source.RepoEntry;
import dev.tagflow.store.AuditEntry;
import dev.tagflow.store.DatabaseUrl;
import dev.tagflow.store.PromotionDraft;
import dev.tagflow.store.PromotionRecord;
import dev.tagflow.store.Store;
import dev.tagflow.store.StoreOptions;
import dev.tagflow.store.jdbc.JdbcStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What the local promotion verbs use in one data directory: its repositories (and their
 * credentials), its store (promotion requests, and the sync history whose health orders the
 * environments), and a writer keeping its copies of environment repositories in {@code promote/}.
 */
final class PromotionContext implements AutoCloseable {

  private final RepoContext repos;
  private final Store store;
  private final EnvRepoWriter writer;

  PromotionContext(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw TagflowException.failed(
          "cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
    }
    this.repos = new RepoContext(dataDir);
    this.store = JdbcStore.open(StoreOptions.defaults(DatabaseUrl.inDataDir(dataDir)));
    this.writer =
        new EnvRepoWriter(
            dataDir.resolve("promote"),
            repos.remotes(),
            store.promotions(),
            EnvironmentHealth.of(store.history()),
            WriterOptions.defaults());
  }

  RepoContext repos() {
    return repos;
  }

  Store store() {
    return store;
  }

  EnvRepoWriter writer() {
    return writer;
  }

  /**
   * Approves or rejects as {@code approver}, and records it in the audit log: actor {@code cli:<os
   * user> as <approver>} (the name given with --as is not checked here), address {@code local}, the
   * request's state as the result, or why it was refused.
   */
  PromotionRecord audited(
      String action, long id, Approver approver, Supplier<PromotionRecord> change) {
    String actor = "cli:" + System.getProperty("user.name", "unknown") + " as " + approver.name();
    PromotionRecord done;
    try {
      done = change.get();
    } catch (RuntimeException e) {
      audit(actor, action, "request " + id, "refused: " + e.getMessage());
      throw e;
    }
    PromotionDraft draft = done.draft();
    audit(
        actor,
        action,
        "request "
            + id
            + ": "
            + draft.version()
            + " to "
            + draft.environment()
            + " ("
            + draft.repository()
            + ")",
        done.state().displayName().toLowerCase(Locale.ROOT)
            + ", "
            + done.approvals().size()
            + " of "
            + draft.requiredApprovals()
            + " approvals"
            + (done.message().isBlank() ? "" : ": " + done.message()));
    return done;
  }

  private void audit(String actor, String action, String object, String result) {
    store.audit().record(new AuditEntry(Instant.now(), actor, action, object, "local", result));
  }

  /**
   * The URL of a repository given by name or URL: a name must be known ({@code tagflow repo add});
   * a URL or path that is not known is used as it is, without credentials.
   */
  String repositoryUrl(String nameOrUrl) {
    return repos
        .registry()
        .find(nameOrUrl)
        .map(RepoEntry::url)
        .orElseGet(
            () -> {
              if (nameOrUrl.contains("/") || nameOrUrl.contains(":")) {
                return RemoteAccess.isLocal(nameOrUrl) && !nameOrUrl.startsWith("file:")
                    ? Path.of(nameOrUrl).toAbsolutePath().normalize().toString()
                    : nameOrUrl;
              }
              return repos.repo(nameOrUrl).url();
            });
  }

  @Override
  public void close() {
    writer.close();
    store.close();
    repos.close();
  }
}
