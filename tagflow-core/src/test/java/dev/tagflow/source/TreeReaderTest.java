package dev.tagflow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.local.git.GitWorkTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeReaderTest {

  @TempDir Path root;
  GitWorkTree git;
  Repository repository;
  String commit;

  @BeforeEach
  void makeRepository() throws IOException {
    git = GitWorkTree.init(root.resolve("app"));
    git.write("secret.txt", "root only\n");
    git.write("good/deploy.yaml", "kind: Deployment\n");
    git.write("good/sub/service.yaml", "kind: Service\n");
    Files.createSymbolicLink(root.resolve("app/good/link.yaml"), Path.of("deploy.yaml"));
    Files.createSymbolicLink(root.resolve("app/good/sub/up.yaml"), Path.of("../deploy.yaml"));
    Files.createSymbolicLink(root.resolve("app/good/dirlink"), Path.of("sub"));
    git.write("bad/deploy.yaml", "kind: Deployment\n");
    Files.createSymbolicLink(root.resolve("app/bad/escape.yaml"), Path.of("../secret.txt"));
    Files.createSymbolicLink(root.resolve("app/bad/absolute.yaml"), Path.of("/etc/passwd"));
    git.git("add", "-A");
    git.git("commit", "-q", "-m", "files and links");
    commit = git.git("rev-parse", "HEAD").strip();
    repository = new FileRepositoryBuilder().setGitDir(root.resolve("app/.git").toFile()).build();
  }

  @AfterEach
  void close() {
    repository.close();
  }

  @Test
  void listsFilesUnderThePathRecursively() {
    assertThat(reader("good").list())
        .extracting(TreeEntry::path, TreeEntry::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("deploy.yaml", TreeEntry.Kind.FILE),
            org.assertj.core.groups.Tuple.tuple("dirlink", TreeEntry.Kind.SYMLINK),
            org.assertj.core.groups.Tuple.tuple("link.yaml", TreeEntry.Kind.SYMLINK),
            org.assertj.core.groups.Tuple.tuple("sub/service.yaml", TreeEntry.Kind.FILE),
            org.assertj.core.groups.Tuple.tuple("sub/up.yaml", TreeEntry.Kind.SYMLINK));
  }

  @Test
  void listsOneSubdirectoryWithPathsReadableFromTheReadersDirectory() {
    TreeReader root = reader("");

    assertThat(root.list("good/sub"))
        .extracting(TreeEntry::path)
        .containsExactly("good/sub/service.yaml", "good/sub/up.yaml");
    assertThat(root.readString(root.list("good/sub").getFirst().path()))
        .isEqualTo("kind: Service\n");
    assertThatThrownBy(() -> root.list("good/deploy.yaml")).hasMessageContaining("not a directory");
    assertThatThrownBy(() -> root.list("../app")).hasMessageContaining("contains '..'");
  }

  @Test
  void tellsTheSizeOfAFileWithoutReadingItFollowingLinksAndRefusingEscapes() {
    assertThat(reader("good").size("deploy.yaml")).isEqualTo("kind: Deployment\n".length());
    assertThat(reader("good").size("sub/up.yaml")).isEqualTo("kind: Deployment\n".length());
    assertThatThrownBy(() -> reader("good").size("sub"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("is not a file");
    assertThatThrownBy(() -> reader("bad").size("escape.yaml"))
        .hasMessageContaining("leads outside");
  }

  @Test
  void readsFilesAndFollowsLinksThatStayInside() {
    TreeReader good = reader("good");

    assertThat(good.readString("deploy.yaml")).isEqualTo("kind: Deployment\n");
    assertThat(good.readString("link.yaml")).isEqualTo("kind: Deployment\n");
    assertThat(good.readString("sub/up.yaml")).isEqualTo("kind: Deployment\n");
    assertThat(good.readString("dirlink/service.yaml")).isEqualTo("kind: Service\n");
    assertThat(good.readString("./sub//service.yaml")).isEqualTo("kind: Service\n");
  }

  @Test
  void givesTheTreeIdGitGivesForThePath() {
    assertThat(reader("good").treeId()).isEqualTo(git.git("rev-parse", commit + ":good").strip());
    assertThat(reader("").treeId("good/sub"))
        .isEqualTo(git.git("rev-parse", commit + ":good/sub").strip());
  }

  @Test
  void rejectsPathsWithDotDot() {
    assertThatThrownBy(() -> reader("good").read("../secret.txt"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("contains '..'");
    assertThatThrownBy(() -> reader("good/../bad"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("contains '..'");
  }

  @Test
  void rejectsAbsolutePaths() {
    assertThatThrownBy(() -> reader("good").read("/etc/passwd"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("is absolute");
  }

  @Test
  void rejectsLinksThatLeadOutsideThePath() {
    TreeReader bad = reader("bad");

    assertThatThrownBy(() -> bad.read("escape.yaml"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("symbolic link bad/escape.yaml -> ../secret.txt")
        .hasMessageContaining("leads outside bad/");
    assertThatThrownBy(() -> bad.read("absolute.yaml"))
        .hasMessageContaining("symbolic link bad/absolute.yaml -> /etc/passwd");
    assertThatThrownBy(bad::list).hasMessageContaining("leads outside bad/");
    assertThat(bad.readString("deploy.yaml")).isEqualTo("kind: Deployment\n");
  }

  @Test
  void aLinkInsideTheRepositoryIsFineWhenReadingFromTheRoot() {
    assertThat(reader("").readString("bad/escape.yaml")).isEqualTo("root only\n");
  }

  @Test
  void saysWhatIsMissing() {
    assertThatThrownBy(() -> reader("good").read("nope.yaml"))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("'good/nope.yaml' in app does not exist");
    assertThat(reader("good").exists("nope.yaml")).isFalse();
    assertThat(reader("good").exists("sub")).isTrue();
  }

  @Test
  void readsOnePathWithoutReadingTheOtherDirectories(@TempDir Path bare) throws IOException {
    // Loose objects are one file each: deleting those of every other directory proves that
    // reading and listing one directory never opens them.
    try (Repository big = new FileRepositoryBuilder().setGitDir(bare.toFile()).setBare().build()) {
      big.create(true);
      List<ObjectId> others = new ArrayList<>();
      String bigCommit;
      try (ObjectInserter inserter = big.newObjectInserter()) {
        TreeFormatter top = new TreeFormatter();
        for (int d = 0; d < 50; d++) {
          TreeFormatter dir = new TreeFormatter();
          for (int f = 0; f < 40; f++) {
            ObjectId blob =
                inserter.insert(Constants.OBJ_BLOB, ("dir " + d + " file " + f + "\n").getBytes());
            dir.append("f%02d.yaml".formatted(f), FileMode.REGULAR_FILE, blob);
            if (d != 7) {
              others.add(blob);
            }
          }
          ObjectId tree = inserter.insert(dir);
          top.append("d%02d".formatted(d), FileMode.TREE, tree);
          if (d != 7) {
            others.add(tree);
          }
        }
        CommitBuilder builder = new CommitBuilder();
        builder.setTreeId(inserter.insert(top));
        PersonIdent me = new PersonIdent("Test", "test@tagflow.dev");
        builder.setAuthor(me);
        builder.setCommitter(me);
        builder.setMessage("2,000 files");
        bigCommit = inserter.insert(builder).name();
        inserter.flush();
      }
      for (ObjectId id : others) {
        String hex = id.name();
        Files.delete(
            bare.resolve("objects").resolve(hex.substring(0, 2)).resolve(hex.substring(2)));
      }

      assertThat(new TreeReader(big, "big", bigCommit, "").readString("d07/f03.yaml"))
          .isEqualTo("dir 7 file 3\n");
      assertThat(new TreeReader(big, "big", bigCommit, "d07").list()).hasSize(40);
      assertThatThrownBy(() -> new TreeReader(big, "big", bigCommit, "").read("d08/f03.yaml"))
          .isInstanceOf(TagflowException.class);
    }
  }

  private TreeReader reader(String path) {
    return new TreeReader(repository, "app", commit, path);
  }
}
