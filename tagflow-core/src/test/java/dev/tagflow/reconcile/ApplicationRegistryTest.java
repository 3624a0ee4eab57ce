package dev.tagflow.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.app.Application;
import dev.tagflow.reconcile.ApplicationRegistry.Change;
import dev.tagflow.reconcile.ApplicationRegistry.SourceProblem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplicationRegistryTest {

  private final ApplicationRegistry registry = ApplicationRegistry.withDefaults();
  private final List<String> heard = new ArrayList<>();

  {
    registry.addListener(
        change ->
            heard.add(
                switch (change) {
                  case Change.Added a -> "added " + a.name();
                  case Change.Updated u -> "updated " + u.name();
                  case Change.Removed r -> "removed " + r.name() + (r.prune() ? " pruning" : "");
                }));
  }

  private static Application pruning(String name) {
    return Apps.app(
        name, "https://git.example.com/acme/env.git", "syncPolicy: {automated: {prune: true}}");
  }

  @Test
  void replacingASourceAddsUpdatesAndRemovesItsApplications() {
    registry.replace(
        "files:/apps", List.of(Apps.app("a"), Apps.app("b"), Apps.app("c")), List.of());
    registry.replace("files:/apps", List.of(Apps.app("a"), pruning("b")), List.of());

    assertThat(heard).containsExactly("added a", "added b", "added c", "updated b", "removed c");
    assertThat(registry.list()).extracting(r -> r.application().name()).containsExactly("a", "b");
  }

  @Test
  void anUnchangedApplicationIsNotAnnouncedAgain() {
    registry.replace("files:/apps", List.of(Apps.app("a")), List.of());
    registry.replace("files:/apps", List.of(Apps.app("a")), List.of());

    assertThat(heard).containsExactly("added a");
  }

  @Test
  void removingAnApplicationThatPrunesSaysSo() {
    registry.replace("files:/apps", List.of(pruning("a"), Apps.app("b"), Apps.app("c")), List.of());
    registry.replace("files:/apps", List.of(Apps.app("b"), Apps.app("c")), List.of());

    assertThat(heard).last().isEqualTo("removed a pruning");
  }

  @Test
  void aNameAnotherSourceRegisteredIsAProblemOfTheSecondSourceOnly() {
    registry.replace("files:/one", List.of(Apps.app("a")), List.of());
    registry.replace("files:/two", List.of(Apps.app("a"), Apps.app("b")), List.of());

    assertThat(registry.list())
        .extracting(r -> r.application().name() + "@" + r.source())
        .containsExactly("a@files:/one", "b@files:/two");
    assertThat(registry.problems())
        .extracting(SourceProblem::source, p -> p.message().contains("already registered"))
        .containsExactly(org.assertj.core.groups.Tuple.tuple("files:/two", true));
  }

  @Test
  void problemsOfASourceAreKeptUntilItsNextUpdate() {
    SourceProblem bad = new SourceProblem("files:/apps", "/apps/bad.yaml", "not valid YAML");
    registry.replace("files:/apps", List.of(Apps.app("a")), List.of(bad));
    List<SourceProblem> before = registry.problems();
    registry.replace("files:/apps", List.of(Apps.app("a")), List.of());

    assertThat(before).containsExactly(bad);
    assertThat(registry.problems()).isEmpty();
  }

  @Test
  void removingMostApplicationsOfASourceAtOnceWaitsForConfirmation() {
    registry.replace(
        "files:/apps", List.of(pruning("a"), pruning("b"), pruning("c"), pruning("d")), List.of());
    heard.clear();

    registry.replace("files:/apps", List.of(pruning("a")), List.of());
    List<String> heardBeforeConfirming = List.copyOf(heard);
    List<SourceProblem> problems = registry.problems();
    int removed = registry.confirmRemoval("files:/apps");

    assertThat(heardBeforeConfirming).isEmpty();
    assertThat(problems)
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("would remove 3 of its 4 applications"));
    assertThat(removed).isEqualTo(3);
    assertThat(heard)
        .containsExactly("removed b pruning", "removed c pruning", "removed d pruning");
    assertThat(registry.problems()).isEmpty();
  }

  @Test
  void removingOneApplicationNeedsNoConfirmation() {
    registry.replace("files:/apps", List.of(pruning("a")), List.of());
    registry.replace("files:/apps", List.of(), List.of());

    assertThat(heard).containsExactly("added a", "removed a pruning");
  }

  @Test
  void anApplicationOfTheApiCannotTakeTheNameOfAFileOne() {
    registry.replace("files:/apps", List.of(Apps.app("a")), List.of());

    assertThatThrownBy(() -> registry.put("api", Apps.app("a")))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("already registered from files:/apps");
  }

  @Test
  void removingAParentRemovesItsChildrenAndTheirChildrenPastTheBreaker() {
    registry.replace("files:/apps", List.of(Apps.app("root"), Apps.app("other")), List.of());
    registry.replace(
        ApplicationRegistry.childSource("root"),
        List.of(pruning("example.a"), Apps.app("example.b")),
        List.of());
    registry.replace(
        ApplicationRegistry.childSource("example.a"), List.of(pruning("example.a.x")), List.of());
    assertThat(registry.ancestors("example.a.x")).containsExactly("example.a", "root");
    assertThat(registry.children("root")).containsExactly("example.a", "example.b");
    heard.clear();

    registry.replace("files:/apps", List.of(Apps.app("other")), List.of());

    assertThat(heard)
        .containsExactly(
            "removed example.a.x pruning",
            "removed example.a pruning",
            "removed example.b",
            "removed root");
    assertThat(registry.list()).extracting(r -> r.application().name()).containsExactly("other");
  }

  @Test
  void theApiAddsUpdatesAndRemovesOnlyItsOwnApplications() {
    registry.replace("files:/apps", List.of(Apps.app("from-files")), List.of());

    registry.add("api", Apps.app("example.web"));
    registry.update("api", pruning("example.web"));
    assertThatThrownBy(() -> registry.add("api", Apps.app("example.web")))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("already registered from api");
    assertThatThrownBy(() -> registry.update("api", Apps.app("from-files")))
        .hasMessageContaining("is registered from files:/apps, not from api");
    assertThatThrownBy(() -> registry.unregister("api", "from-files"))
        .hasMessageContaining("is registered from files:/apps");
    assertThatThrownBy(() -> registry.update("api", Apps.app("nobody")))
        .hasMessageContaining("no Application named 'nobody'");
    registry.unregister("api", "example.web");

    assertThat(heard)
        .containsExactly(
            "added from-files",
            "added example.web",
            "updated example.web",
            "removed example.web pruning");
  }

  @Test
  void childrenOfAParentThatIsGoneAreNotRegistered() {
    registry.replace(
        ApplicationRegistry.childSource("gone"), List.of(Apps.app("orphan")), List.of());

    assertThat(registry.get("orphan")).isEmpty();
    assertThat(heard).isEmpty();
  }

  @Test
  void aSourcesProblemIsHeardOnceWhenItIsNew() {
    List<SourceProblem> problems = new ArrayList<>();
    registry.addProblemListener(problems::add);
    SourceProblem broken =
        new SourceProblem("files:/apps", "a.yaml", "a.yaml:1:1: bad", List.of("a"));

    registry.replace("files:/apps", List.of(Apps.app("a")), List.of(broken));
    registry.replace("files:/apps", List.of(Apps.app("a")), List.of(broken));
    registry.replace("files:/apps", List.of(Apps.app("a")), List.of());
    registry.replace("files:/apps", List.of(Apps.app("a")), List.of(broken));

    assertThat(problems).containsExactly(broken, broken);
  }
}
