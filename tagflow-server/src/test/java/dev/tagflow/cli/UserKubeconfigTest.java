package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class UserKubeconfigTest {

  private static final UserKubeconfig.Entries LOCAL =
      UserKubeconfig.Entries.of(
          "tagflow-local", "https://127.0.0.1:16443", "Q0E=", "Q0VSVA==", "S0VZ");

  /** A kubeconfig as people have them: comments, two clusters, an odd indentation. */
  private static final String EXISTING =
      """
      # my clusters
      apiVersion: v1
      kind: Config
      clusters:
        - name: prod   # the real one
          cluster:
            server: https://prod.example.com
        - name: kind-kind
          cluster: {server: "https://127.0.0.1:40000"}
      contexts:
        - name: prod
          context: {cluster: prod, user: me}
        - name: kind-kind
          context: {cluster: kind-kind, user: kind}
      current-context: prod   # careful
      users:
        - name: me
          user: {token: abc}
        - name: kind
          user: {token: def}
      preferences: {}
      """;

  @TempDir Path temp;

  @Test
  void addingToAMissingFileWritesAKubeconfigOnlyItsOwnerReads() throws Exception {
    UserKubeconfig config = new UserKubeconfig(temp.resolve(".kube/config"));

    assertThat(config.add(LOCAL)).isEmpty();

    JsonNode read = yaml(Files.readString(config.file()));
    assertThat(read.path("current-context").asText()).isEqualTo("tagflow-local");
    assertThat(names(read, "clusters")).containsExactly("tagflow-local");
    assertThat(read.path("clusters").get(0).path("cluster").path("server").asText())
        .isEqualTo("https://127.0.0.1:16443");
    assertThat(names(read, "users")).containsExactly("tagflow-local");
    assertThat(read.path("contexts").get(0).path("context").path("user").asText())
        .isEqualTo("tagflow-local");
    assertThat(Files.getPosixFilePermissions(config.file()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void addingKeepsEveryOtherEntryAndCommentByteForByteAndMakesItsContextCurrent() {
    String added = UserKubeconfig.added("config", EXISTING, LOCAL);

    JsonNode read = yaml(added);
    assertThat(names(read, "clusters")).containsExactly("prod", "kind-kind", "tagflow-local");
    assertThat(names(read, "contexts")).containsExactly("prod", "kind-kind", "tagflow-local");
    assertThat(names(read, "users")).containsExactly("me", "kind", "tagflow-local");
    assertThat(read.path("current-context").asText()).isEqualTo("tagflow-local");
    // Every line of the file is still there except the current context's.
    assertThat(added.lines().toList())
        .containsAll(EXISTING.lines().filter(l -> !l.startsWith("current-context")).toList());
    assertThat(added).contains("current-context: tagflow-local   # careful\n");
    // Appended at the list's own indentation.
    assertThat(added).contains("\n  - name: tagflow-local\n    cluster:\n");
  }

  @Test
  void removingRestoresTheFileAsItWasBeforeTheAdd() {
    String added = UserKubeconfig.added("config", EXISTING, LOCAL);

    String removed = UserKubeconfig.removed("config", added, "tagflow-local", Optional.of("prod"));

    assertThat(removed).isEqualTo(EXISTING);
  }

  @Test
  void addingTwiceReplacesTheEntriesInsteadOfRepeatingThem() {
    UserKubeconfig.Entries moved =
        UserKubeconfig.Entries.of(
            "tagflow-local", "https://127.0.0.1:17443", "Q0E=", "Qw==", "Sw==");

    String twice =
        UserKubeconfig.added("config", UserKubeconfig.added("config", EXISTING, LOCAL), moved);

    JsonNode read = yaml(twice);
    assertThat(names(read, "clusters")).containsExactly("prod", "kind-kind", "tagflow-local");
    assertThat(read.path("clusters").get(2).path("cluster").path("server").asText())
        .isEqualTo("https://127.0.0.1:17443");
    assertThat(names(read, "users")).containsExactly("me", "kind", "tagflow-local");
  }

  @Test
  void removingWhenAnotherContextWasMadeCurrentSinceLeavesThatOneCurrent() {
    String added = UserKubeconfig.added("config", EXISTING, LOCAL);
    String switched = added.replace("current-context: tagflow-local", "current-context: kind-kind");

    String removed =
        UserKubeconfig.removed("config", switched, "tagflow-local", Optional.of("prod"));

    assertThat(yaml(removed).path("current-context").asText()).isEqualTo("kind-kind");
    assertThat(names(yaml(removed), "clusters")).containsExactly("prod", "kind-kind");
  }

  @Test
  void emptyListsAndAMissingCurrentContextAreFilledIn() {
    String sparse = "apiVersion: v1\nkind: Config\nclusters: []\nusers:\ncontexts: null\n";

    String added = UserKubeconfig.added("config", sparse, LOCAL);

    JsonNode read = yaml(added);
    assertThat(names(read, "clusters")).containsExactly("tagflow-local");
    assertThat(names(read, "users")).containsExactly("tagflow-local");
    assertThat(names(read, "contexts")).containsExactly("tagflow-local");
    assertThat(read.path("current-context").asText()).isEqualTo("tagflow-local");
    assertThat(UserKubeconfig.removed("config", added, "tagflow-local", Optional.empty()))
        .doesNotContain("tagflow-local");
  }

  @Test
  void aFlowStyleListIsRefusedWithItsPlaceAndNothingIsWritten() throws Exception {
    Path file = temp.resolve("config");
    String flow = "apiVersion: v1\nclusters: [{name: a, cluster: {server: https://a}}]\n";
    Files.writeString(file, flow);

    assertThatThrownBy(() -> new UserKubeconfig(file).add(LOCAL))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining(file + ":2:11: clusters is written in flow style")
        .hasMessageContaining("--no-kubeconfig-update");
    assertThat(Files.readString(file)).isEqualTo(flow);
  }

  @Test
  void aFileThatIsNotAMappingIsRefusedWithItsPlace() {
    assertThatThrownBy(() -> UserKubeconfig.added("config", "- just\n- a list\n", LOCAL))
        .isInstanceOf(TagflowException.class)
        .hasMessageStartingWith("config:1:1: a kubeconfig is a mapping");
  }

  @Test
  void removingFromAFileWithoutTheEntriesLeavesItUntouched() throws Exception {
    Path file = Files.writeString(temp.resolve("config"), EXISTING);

    assertThat(new UserKubeconfig(file).remove("tagflow-local", Optional.of("prod"))).isFalse();
    assertThat(Files.readString(file)).isEqualTo(EXISTING);
    assertThat(new UserKubeconfig(temp.resolve("none")).remove("x", Optional.empty())).isFalse();
  }

  private static JsonNode yaml(String text) {
    try {
      return YAMLMapper.builder().configureForJackson2().build().readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not YAML:\n" + text, e);
    }
  }

  private static List<String> names(JsonNode config, String list) {
    List<String> names = new java.util.ArrayList<>();
    config.path(list).forEach(n -> names.add(n.path("name").asText()));
    return names;
  }
}
