package dev.tagflow.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagflow.source.Revision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {

  @TempDir Path root;

  @Test
  void keepsOnlyTheMostRecentlyUsedTreesButNeverOneThatIsHeld() {
    try (GitFixture repo = new GitFixture(root.resolve("git"), Optional.empty());
        Workspace workspace = new Workspace(root.resolve("work"), 2)) {
      for (String name : new String[] {"a", "b", "c"}) {
        repo.write(name + "/file.txt", name);
      }
      Revision revision = repo.commit("three trees");

      Workspace.Lease held =
          workspace.tree("a", repo.repos.tree(repo.url(), revision, "a"), Map::of);
      try (Workspace.Lease b =
          workspace.tree("b", repo.repos.tree(repo.url(), revision, "b"), Map::of)) {
        assertThat(b.path().resolve("file.txt")).hasContent("b");
      }
      try (Workspace.Lease c =
          workspace.tree("c", repo.repos.tree(repo.url(), revision, "c"), Map::of)) {
        assertThat(c.path().resolve("file.txt")).hasContent("c");
      }

      // "a" is the eldest but held: "b" went instead.
      assertThat(held.path().resolve("file.txt")).hasContent("a");
      assertThat(Files.exists(root.resolve("work/trees/b"))).isFalse();
      assertThat(workspace.trees()).isEqualTo(2);

      held.close();
      try (Workspace.Lease b =
          workspace.tree("b", repo.repos.tree(repo.url(), revision, "b"), Map::of)) {
        assertThat(b.path().resolve("file.txt")).hasContent("b");
      }
      assertThat(Files.exists(root.resolve("work/trees/a"))).isFalse();
      assertThat(workspace.trees()).isEqualTo(2);
    }
  }
}
