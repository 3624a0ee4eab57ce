package dev.tagflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one jar {@code ./tagflow} runs ({@code target/tagflow.jar}): what its build must keep from
 * the libraries it flattens. The other integration tests run it (TagflowProcess); this one checks
 * what running it would not show.
 */
class RunnableJarIT {

  private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");

  private final Path jar = Path.of(System.getProperty("tagflow.jar", "target/tagflow.jar"));

  @Test
  void theManifestStartsTheCliWithoutAClassPathOfOtherJars() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      assertThat(manifest.getMainAttributes().getValue("Main-Class"))
          .isEqualTo(Main.class.getName());
      assertThat(manifest.getMainAttributes().getValue("Class-Path")).isNull();
      // Jackson's and Bouncy Castle's classes for newer Java releases stay in use.
      assertThat(manifest.getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
      assertThat(manifest.getMainAttributes().getValue("Enable-Native-Access"))
          .isEqualTo("ALL-UNNAMED");
    }
  }

  @Test
  void carriesNoSignatureOfAFlattenedJarAndNoModuleDescriptor() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> names = file.stream().map(e -> e.getName()).toList();
      // A signature of one library over the whole jar would fail every class it names.
      assertThat(names).noneMatch(name -> SIGNATURE.matcher(name).matches());
      assertThat(names).doesNotContain("module-info.class");
      assertThat(names).contains("org/bouncycastle/crypto/generators/Argon2BytesGenerator.class");
    }
  }

  @Test
  void mergesTheServiceFilesOfEveryLibrary() throws IOException {
    // Both drivers come from different jars; a first-wins copy would keep one.
    assertThat(entry("META-INF/services/java.sql.Driver"))
        .contains("org.sqlite.JDBC", "org.postgresql.Driver");
  }

  @Test
  void keepsEveryLibrarysNoticeNotOnlyTheFirst() throws IOException {
    assertThat(entry("META-INF/NOTICE")).contains("Apache MINA SSHD", "Apache HttpClient");
  }

  @Test
  void runsAVerb(@TempDir Path temp) throws Exception {
    // TagflowProcess starts `java -jar` with it only when failsafe names it.
    assertThat(System.getProperty("tagflow.jar")).isNotBlank();
    Path out = temp.resolve("out");
    Path err = temp.resolve("err");
    Process process = TagflowProcess.of(List.of("--version"), out, err).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(err)).isZero();
    assertThat(Files.readString(out)).containsIgnoringCase("tagflow");
  }

  private String entry(String name) throws IOException {
    try (JarFile file = new JarFile(jar.toFile());
        InputStream in = file.getInputStream(file.getJarEntry(name))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
