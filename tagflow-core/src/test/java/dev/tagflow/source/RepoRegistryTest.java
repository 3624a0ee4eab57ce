package dev.tagflow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tagflow.TagflowException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class RepoRegistryTest {

  private static final String SECRET = "s3cret-9d1f";

  @TempDir Path data;

  private Path file;
  private RepoRegistry registry;
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void setUp() {
    file = data.resolve("repositories.yaml");
    registry = new RepoRegistry(file);
    logged.start();
    ((Logger) LoggerFactory.getLogger(RepoRegistry.class)).addAppender(logged);
  }

  @AfterEach
  void tearDown() {
    ((Logger) LoggerFactory.getLogger(RepoRegistry.class)).detachAppender(logged);
  }

  @Test
  void aUrlWithCredentialsInAnOlderFileIsReadWithoutThemAndWarnedAboutOnce() throws Exception {
    Files.writeString(
        file,
        """
        repositories:
        - name: web
          url: https://deploy:%s@git.example.com/shop/web.git
        - name: api
          url: https://git.example.com/shop/api.git
        """
            .formatted(SECRET));

    assertThat(registry.list())
        .extracting(RepoEntry::url)
        .containsExactly(
            "https://git.example.com/shop/web.git", "https://git.example.com/shop/api.git");
    registry.list();

    assertThat(logged.list).hasSize(1);
    String warning = logged.list.getFirst().getFormattedMessage();
    assertThat(warning)
        .contains("the URL of repository 'web' holds credentials")
        .contains("tagflow repo add https://git.example.com/shop/web.git --token-file <file>")
        .doesNotContain(SECRET)
        .doesNotContain("deploy");
    // Reading changes nothing the user wrote.
    assertThat(file).content().contains(SECRET);
  }

  @Test
  void theNextWriteLeavesTheCredentialsOut() throws Exception {
    Files.writeString(
        file,
        "repositories:\n- name: web\n  url: https://%s@git.example.com/web.git\n"
            .formatted(SECRET));

    registry.add(new RepoEntry("api", "https://git.example.com/api.git", RepoCredentials.none()));

    assertThat(file).content().doesNotContain(SECRET).contains("https://git.example.com/web.git");
  }

  @Test
  void aUrlIsFoundWithOrWithoutCredentials() throws Exception {
    Path token = Files.writeString(data.resolve("token"), SECRET);
    registry.add(
        new RepoEntry("web", "https://git.example.com/web.git", new RepoCredentials.Token(token)));

    assertThat(registry.find("https://x:y@git.example.com/web.git")).isPresent();
    assertThat(registry.credentialsFor("https://y@git.example.com/web.git"))
        .isEqualTo(new RepoCredentials.Token(token));
  }

  @Test
  void refusesToAddAUrlWithCredentialsWithoutRepeatingThem() {
    RepoEntry entry =
        new RepoEntry(
            "web", "https://:" + SECRET + "@git.example.com/web.git", RepoCredentials.none());

    assertThatThrownBy(() -> registry.add(entry))
        .isInstanceOf(TagflowException.class)
        .hasMessageContaining("https://git.example.com/web.git")
        .hasMessageNotContaining(SECRET);
    assertThat(file).doesNotExist();
  }

  @Test
  void anUnknownUrlIsNamedWithoutItsCredentials() {
    assertThatThrownBy(() -> registry.get("https://" + SECRET + "@git.example.com/web.git"))
        .hasMessageContaining("no repository named 'https://git.example.com/web.git'")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void theNameAUrlSuggestsIsNeverItsCredentials() {
    assertThat(RepoEntry.defaultName("https://" + SECRET + "@git.example.com"))
        .isEqualTo("git.example.com");
    assertThat(RepoEntry.defaultName("https://u:" + SECRET + "@host/shop/web.git"))
        .isEqualTo("web");
  }
}
