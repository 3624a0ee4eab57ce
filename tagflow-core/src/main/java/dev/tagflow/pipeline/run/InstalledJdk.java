package dev.tagflow.pipeline.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * A JDK on the Tagflow host, as its {@code release} file describes it.
 *
 * @param home its folder (real path)
 * @param version {@code major.minor.patch}: {@code 17.0.15}; Java 8's {@code 1.8.0_392} is {@code
 *     8.0.392}
 * @param build the build number after {@code +} in its runtime version, or empty
 * @param vendor {@code IMPLEMENTOR}: {@code Eclipse Adoptium}, {@code Debian}, …
 * @param arch setup-java's name for its architecture: {@code x64}, {@code aarch64}, …
 * @param compiler whether it has {@code javac} (a JDK, not only a JRE)
 * @param javafx whether it has the JavaFX modules
 * @param earlyAccess whether it is an early-access build ({@code -ea})
 */
record InstalledJdk(
    Path home,
    int[] version,
    String build,
    String vendor,
    String arch,
    boolean compiler,
    boolean javafx,
    boolean earlyAccess) {

  int major() {
    return version[0];
  }

  /** As setup-java's output {@code version} says it: {@code 21.0.3+9}. */
  String versionText() {
    String text = version[0] + "." + version[1] + "." + version[2];
    return build.isEmpty() ? text : text + "+" + build;
  }

  /**
   * One line naming it for a log or an error: {@code 17.0.15+6 (Debian, x64) at /usr/lib/jvm/…}.
   */
  String describe() {
    return versionText()
        + (earlyAccess ? "-ea" : "")
        + " ("
        + vendor
        + ", "
        + arch
        + (compiler ? "" : ", JRE only")
        + ") at "
        + home;
  }

  /**
   * Reads the JDK at a folder: its {@code release} file, and {@code bin/java}, which must be there.
   */
  static Optional<InstalledJdk> read(Path folder) {
    Path release = folder.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isExecutable(folder.resolve("bin/java"))) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(release)) {
      p.load(in);
      Path home = folder.toRealPath();
      String javaVersion = unquoted(p.getProperty("JAVA_VERSION", ""));
      String runtime = unquoted(p.getProperty("JAVA_RUNTIME_VERSION", javaVersion));
      Optional<int[]> version = version(javaVersion);
      if (version.isEmpty()) {
        return Optional.empty();
      }
      String build = "";
      int plus = runtime.indexOf('+');
      if (plus >= 0) {
        build = runtime.substring(plus + 1).replaceAll("[^0-9].*$", "");
      }
      String modules = unquoted(p.getProperty("MODULES", ""));
      return Optional.of(
          new InstalledJdk(
              home,
              version.get(),
              build,
              unquoted(p.getProperty("IMPLEMENTOR", "unknown vendor")),
              arch(unquoted(p.getProperty("OS_ARCH", System.getProperty("os.arch")))),
              Files.isExecutable(home.resolve("bin/javac")),
              modules.contains("javafx.base"),
              runtime.contains("-ea")));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code 17.0.15}, {@code 21}, {@code 1.8.0_392} as three numbers. */
  static Optional<int[]> version(String text) {
    String t = text.strip();
    if (t.startsWith("1.") && t.length() > 2) {
      t = t.substring(2).replace('_', '.');
    }
    t = t.replaceAll("[-+].*$", "");
    String[] parts = t.split("\\.");
    int[] version = new int[3];
    try {
      for (int i = 0; i < Math.min(3, parts.length); i++) {
        version[i] = Integer.parseInt(parts[i]);
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return parts.length == 0 || parts[0].isEmpty() ? Optional.empty() : Optional.of(version);
  }

  /** setup-java's architecture names: {@code x64}, {@code x86}, {@code aarch64}, {@code armv7}. */
  static String arch(String os) {
    return switch (os.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64", "x64" -> "x64";
      case "x86", "i386", "i486", "i586", "i686" -> "x86";
      case "aarch64", "arm64" -> "aarch64";
      case "arm", "armv7", "armv7l" -> "armv7";
      default -> os.toLowerCase(Locale.ROOT);
    };
  }

  private static String unquoted(String value) {
    String v = value.strip();
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
        ? v.substring(1, v.length() - 1)
        : v;
  }
}
