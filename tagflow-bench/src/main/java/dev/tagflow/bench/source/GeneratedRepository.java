package dev.tagflow.bench.source;

import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A bare repository of {@code dirs × files} small YAML files in one commit on {@code main}, tagged
 * {@code v1.0.0} to {@code v1.0.9}: the shape of a large environment repository.
 */
final class GeneratedRepository {

  private GeneratedRepository() {}

  static void create(Path directory, int dirs, int files) throws IOException {
    try (Repository repository =
        new FileRepositoryBuilder().setGitDir(directory.toFile()).setBare().build()) {
      repository.create(true);
      ObjectId commit;
      try (ObjectInserter inserter = repository.newObjectInserter()) {
        TreeFormatter top = new TreeFormatter();
        for (int d = 0; d < dirs; d++) {
          TreeFormatter dir = new TreeFormatter();
          for (int f = 0; f < files; f++) {
            byte[] content =
                ("kind: ConfigMap\nmetadata: {name: cm-" + d + "-" + f + "}\n").getBytes();
            dir.append(
                "f%03d.yaml".formatted(f),
                FileMode.REGULAR_FILE,
                inserter.insert(Constants.OBJ_BLOB, content));
          }
          top.append("d%03d".formatted(d), FileMode.TREE, inserter.insert(dir));
        }
        CommitBuilder builder = new CommitBuilder();
        builder.setTreeId(inserter.insert(top));
        PersonIdent bench = new PersonIdent("Bench", "bench@tagflow.dev");
        builder.setAuthor(bench);
        builder.setCommitter(bench);
        builder.setMessage(dirs * files + " files");
        commit = inserter.insert(builder);
        inserter.flush();
      }
      point(repository, "refs/heads/main", commit);
      for (int i = 0; i < 10; i++) {
        point(repository, "refs/tags/v1.0." + i, commit);
      }
      repository.updateRef(Constants.HEAD).link("refs/heads/main");
    }
  }

  private static void point(Repository repository, String ref, ObjectId commit) throws IOException {
    RefUpdate update = repository.updateRef(ref);
    update.setNewObjectId(commit);
    update.forceUpdate();
  }
}
