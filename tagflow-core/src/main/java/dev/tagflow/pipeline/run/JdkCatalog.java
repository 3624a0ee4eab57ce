package dev.tagflow.pipeline.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JDKs on the Tagflow host that {@code actions/setup-java} may choose from: the host's {@code
 * JAVA_HOME} and {@code JAVA_HOME_*} variables, the usual folders ({@code /usr/lib/jvm}, {@code
 * /usr/java}, {@code /opt/java}, {@code /opt/jdk*}, {@code ~/.sdkman/candidates/java}, {@code
 * ~/.jdks}), the JDK of {@code javac} on the {@code PATH}, and the folders the runner was
 * configured with (each a JDK, or a folder of JDKs). Each is read from its {@code release} file;
 * the same JDK reached twice (a link) is listed once.
 */
final class JdkCatalog {

  private static final List<String> SYSTEM_FOLDERS =
      List.of("/usr/lib/jvm", "/usr/java", "/opt/java", "/usr/local/lib/jvm");

  private final List<Path> configured;

  /**
   * @param configured folders given in the runner's settings: a JDK, or a folder of JDKs
   */
  JdkCatalog(List<Path> configured) {
    this.configured = List.copyOf(configured);
  }

  List<Path> configured() {
    return configured;
  }

  /** The JDKs found now, newest version first. */
  List<InstalledJdk> installed(Map<String, String> hostEnv) {
    List<Path> candidates = new ArrayList<>();
    hostEnv.forEach(
        (name, value) -> {
          if (name.equals("JAVA_HOME") || name.startsWith("JAVA_HOME_")) {
            candidates.add(Path.of(value));
          }
        });
    System.getenv()
        .forEach(
            (name, value) -> {
              if (name.startsWith("JAVA_HOME_")) {
                candidates.add(Path.of(value));
              }
            });
    for (Path folder : configured) {
      candidates.add(folder);
      candidates.addAll(children(folder));
    }
    for (String folder : SYSTEM_FOLDERS) {
      candidates.addAll(children(Path.of(folder)));
    }
    candidates.addAll(children(Path.of("/opt")).stream().filter(JdkCatalog::jdkName).toList());
    String home = hostEnv.getOrDefault("HOME", System.getProperty("user.home"));
    candidates.addAll(children(Path.of(home, ".sdkman", "candidates", "java")));
    candidates.addAll(children(Path.of(home, ".jdks")));
    for (String dir : hostEnv.getOrDefault("PATH", "").split(":")) {
      Path javac = Path.of(dir.isEmpty() ? "." : dir, "javac");
      if (!dir.isEmpty() && Files.isExecutable(javac)) {
        try {
          candidates.add(javac.toRealPath().getParent().getParent());
        } catch (IOException e) {
          // a broken link on the PATH names no JDK
        }
      }
    }
    Map<Path, InstalledJdk> found = new LinkedHashMap<>();
    for (Path candidate : candidates) {
      InstalledJdk.read(candidate).ifPresent(jdk -> found.putIfAbsent(jdk.home(), jdk));
    }
    List<InstalledJdk> jdks = new ArrayList<>(found.values());
    jdks.sort(
        Comparator.comparing((InstalledJdk j) -> j.version(), (a, b) -> Arrays.compare(a, b))
            .reversed());
    return jdks;
  }

  private static boolean jdkName(Path folder) {
    String name = folder.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return name.contains("jdk") || name.contains("java") || name.contains("jre");
  }

  private static List<Path> children(Path folder) {
    List<Path> children = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return children;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry)) {
          children.add(entry);
        }
      }
    } catch (IOException e) {
      // a folder that cannot be listed holds no JDK we can use
    }
    children.sort(Comparator.naturalOrder());
    return children;
  }
}
