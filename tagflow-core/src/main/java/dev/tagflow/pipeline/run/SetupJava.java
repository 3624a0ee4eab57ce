package dev.tagflow.pipeline.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in {@code actions/setup-java} (v4): chooses a JDK already on the Tagflow host (see
 * {@link JdkCatalog}) for each asked {@code java-version}, preferring one whose vendor is the asked
 * {@code distribution}, and sets what GitHub's action sets for later steps: {@code JAVA_HOME},
 * {@code JAVA_HOME_<major>_<ARCH>}, the JDK's {@code bin} first on the {@code PATH}, and the
 * outputs {@code distribution}, {@code version}, {@code path} (and {@code cache-hit} with {@code
 * cache:}). Nothing is downloaded: a version the host does not have fails, naming every JDK it has.
 */
final class SetupJava {

  private static final List<String> INPUTS =
      List.of(
          "java-version",
          "java-version-file",
          "distribution",
          "java-package",
          "architecture",
          "jdkFile",
          "check-latest",
          "server-id",
          "server-username",
          "server-password",
          "settings-path",
          "overwrite-settings",
          "gpg-private-key",
          "gpg-passphrase",
          "cache",
          "cache-dependency-path",
          "job-status",
          "token",
          "mvn-toolchain-id",
          "mvn-toolchain-vendor");

  /** setup-java's distributions and the {@code IMPLEMENTOR} their JDKs write in {@code release}. */
  private static final Map<String, List<String>> VENDORS =
      Map.ofEntries(
          Map.entry("temurin", List.of("Eclipse Adoptium")),
          Map.entry("adopt", List.of("AdoptOpenJDK", "Eclipse Adoptium")),
          Map.entry("adopt-hotspot", List.of("AdoptOpenJDK", "Eclipse Adoptium")),
          Map.entry("adopt-openj9", List.of("AdoptOpenJDK", "Eclipse OpenJ9")),
          Map.entry("zulu", List.of("Azul Systems, Inc.")),
          Map.entry("liberica", List.of("BellSoft")),
          Map.entry("microsoft", List.of("Microsoft")),
          Map.entry("corretto", List.of("Amazon.com Inc.")),
          Map.entry("semeru", List.of("IBM Corporation", "International Business Machines")),
          Map.entry("oracle", List.of("Oracle Corporation")),
          Map.entry("dragonwell", List.of("Alibaba")),
          Map.entry("sapmachine", List.of("SAP SE")),
          Map.entry("graalvm", List.of("GraalVM Community", "Oracle Corporation")),
          Map.entry("jetbrains", List.of("JetBrains s.r.o.")));

  /** What {@code cache:} caches: setup-java's paths (from the home) and key files. */
  private record BuildTool(List<String> paths, List<String> keyFiles) {}

  private static final Map<String, BuildTool> BUILD_TOOLS =
      Map.of(
          "maven",
          new BuildTool(List.of("~/.m2/repository"), List.of("**/pom.xml")),
          "gradle",
          new BuildTool(
              List.of("~/.gradle/caches", "~/.gradle/wrapper"),
              List.of(
                  "**/*.gradle*",
                  "**/gradle-wrapper.properties",
                  "buildSrc/**/Versions.kt",
                  "buildSrc/**/Dependencies.kt",
                  "gradle/*.versions.toml",
                  "**/versions.properties")),
          "sbt",
          new BuildTool(
              List.of("~/.ivy2/cache", "~/.sbt", "~/.cache/coursier", "!~/.sbt/*.lock"),
              List.of(
                  "**/*.sbt",
                  "**/project/build.properties",
                  "**/project/**.scala",
                  "**/project/**.sbt")));

  /** A version in {@code .java-version} or {@code .tool-versions}, as setup-java reads them. */
  private static final Pattern FILE_VERSION =
      Pattern.compile(
          "^(?:java\\s+)?(?:\\S*-)?v?(\\d+(?:\\.\\d+)?(?:\\.\\d+)?(?:\\+\\d+)?(?:-ea(?:\\.\\d+)?)?)$");

  private SetupJava() {}

  static Map<String, String> run(BuiltInStep step, String uses) {
    step.known("actions/setup-java", INPUTS);
    String distribution = step.required("distribution").toLowerCase(Locale.ROOT);
    if (distribution.equals("jdkfile") || !step.input("jdkFile", "").isEmpty()) {
      throw new StepFailure(
          "actions/setup-java: installing a JDK from jdkFile is not done on the Tagflow host;"
              + " install the JDK on the host (or unpack it into a folder the runner's JDK"
              + " folders name) and ask for its version with a distribution");
    }
    if (!VENDORS.containsKey(distribution)) {
      throw new StepFailure(
          "actions/setup-java: No supported distribution was found for input "
              + distribution
              + " (known: "
              + String.join(", ", VENDORS.keySet().stream().sorted().toList())
              + ")");
    }
    if (!step.input("gpg-private-key", "").isEmpty()) {
      throw new StepFailure(
          "actions/setup-java: gpg-private-key is not supported by this runner (it would import"
              + " the key into the Tagflow host's own GnuPG keyring); import it in a run: step"
              + " with a GNUPGHOME under $RUNNER_TEMP");
    }
    String javaPackage = step.input("java-package", "jdk");
    if (!List.of("jdk", "jre", "jdk+fx", "jre+fx").contains(javaPackage)) {
      throw new StepFailure(
          "actions/setup-java: java-package '"
              + javaPackage
              + "' is not one of jdk, jre, jdk+fx, jre+fx");
    }
    String hostArch = InstalledJdk.arch(System.getProperty("os.arch"));
    String architecture =
        step.input("architecture", hostArch.equals("aarch64") ? "arm64" : hostArch);
    String wantedArch = InstalledJdk.arch(architecture);
    List<String> versions = versions(step);
    step.flag("check-latest", false); // checked; the host's JDKs are what there is
    List<InstalledJdk> installed = step.scope().tools().jdks().installed(step.scope().host());
    InstalledJdk chosen = null;
    for (String version : versions) {
      JavaVersionSpec spec = JavaVersionSpec.parse(version);
      List<String> vendors = VENDORS.get(distribution);
      Optional<InstalledJdk> match =
          installed.stream()
              .filter(spec::accepts)
              .filter(j -> j.arch().equals(wantedArch))
              .filter(j -> j.compiler() || javaPackage.startsWith("jre"))
              .filter(j -> j.javafx() || !javaPackage.endsWith("+fx"))
              .min(Comparator.comparing((InstalledJdk j) -> vendors.contains(j.vendor()) ? 0 : 1));
      if (match.isEmpty()) {
        throw new StepFailure(notInstalled(step, spec, distribution, wantedArch, javaPackage));
      }
      chosen = match.get();
      boolean vendorMatches = vendors.contains(chosen.vendor());
      step.log(
          "Java "
              + spec.written()
              + " ("
              + distribution
              + ", "
              + javaPackage
              + ", "
              + wantedArch
              + "): using the host's JDK "
              + chosen.describe()
              + (vendorMatches
                  ? ""
                  : "; its vendor is not "
                      + distribution
                      + "'s ("
                      + String.join(" or ", vendors)
                      + "): no "
                      + distribution
                      + " JDK of that version is installed"));
      step.env()
          .put(
              "JAVA_HOME_" + chosen.major() + "_" + architecture.toUpperCase(Locale.ROOT),
              chosen.home().toString());
    }
    step.env().put("JAVA_HOME", chosen.home().toString());
    step.paths().add(chosen.home().resolve("bin").toString());
    for (String input : List.of("server-id", "settings-path", "mvn-toolchain-id")) {
      if (!step.input(input, "").isEmpty()) {
        step.log(
            "note: "
                + input
                + " is accepted, but this runner writes no ~/.m2/settings.xml or toolchains.xml"
                + " (they are the Tagflow host's own files)");
      }
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("distribution", distribution);
    outputs.put("version", chosen.versionText());
    outputs.put("path", chosen.home().toString());
    String cache = step.input("cache", "");
    if (!cache.isEmpty()) {
      outputs.put("cache-hit", Boolean.toString(cache(step, cache, uses)));
    }
    return outputs;
  }

  /** {@code java-version} lines, else the version of {@code java-version-file}. */
  private static List<String> versions(BuiltInStep step) {
    List<String> versions = new ArrayList<>();
    for (String line : step.input("java-version", "").split("\n")) {
      if (!line.isBlank()) {
        versions.add(line.strip());
      }
    }
    if (!versions.isEmpty()) {
      return versions;
    }
    String file = step.input("java-version-file", "");
    if (file.isEmpty()) {
      throw new StepFailure("actions/setup-java: java-version or java-version-file input expected");
    }
    Path path = Checkout.inside(step.workspace(), file);
    String content;
    try {
      content = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StepFailure(
          "actions/setup-java: cannot read java-version-file '" + file + "': " + e.getMessage());
    }
    boolean toolVersions = path.getFileName().toString().equals(".tool-versions");
    for (String line : content.split("\n")) {
      String text = line.strip();
      if (toolVersions && !text.startsWith("java ")) {
        continue;
      }
      Matcher m = FILE_VERSION.matcher(text);
      if (m.matches()) {
        return List.of(m.group(1));
      }
    }
    throw new StepFailure(
        "actions/setup-java: java-version-file '"
            + file
            + "' holds no Java version (e.g. '21' or, in .tool-versions, 'java temurin-21.0.3+9')");
  }

  private static String notInstalled(
      BuiltInStep step,
      JavaVersionSpec spec,
      String distribution,
      String arch,
      String javaPackage) {
    List<InstalledJdk> all = step.scope().tools().jdks().installed(step.scope().host());
    StringBuilder message =
        new StringBuilder(
            "actions/setup-java: no JDK on the Tagflow host matches java-version '"
                + spec.written()
                + "' ("
                + distribution
                + ", "
                + javaPackage
                + ", "
                + arch
                + "); nothing is downloaded. Installed: ");
    if (all.isEmpty()) {
      message.append("none");
    } else {
      message.append(String.join("; ", all.stream().map(InstalledJdk::describe).toList()));
    }
    message.append(
        ". Install it on the host (e.g. apt-get install temurin-"
            + spec.written().replaceAll("[^0-9].*$", "")
            + "-jdk, into /usr/lib/jvm), or unpack it into a folder and give that folder to the"
            + " runner (tagflow workflow run --jdk-folder <dir>, or pipeline.jdkFolders in the"
            + " server's settings), or ask for a version listed here");
    return message.toString();
  }

  /** {@code cache: maven|gradle|sbt}: the cache with setup-java's key, saved at the job's end. */
  private static boolean cache(BuiltInStep step, String tool, String uses) {
    BuildTool build = BUILD_TOOLS.get(tool);
    if (build == null) {
      throw new StepFailure(
          "actions/setup-java: unknown package manager specified: "
              + tool
              + " (maven, gradle or sbt)");
    }
    String dependencies = step.input("cache-dependency-path", "");
    List<String> patterns =
        dependencies.isEmpty()
            ? build.keyFiles()
            : dependencies.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    String hash = step.contexts().hashFiles(patterns);
    if (hash.isEmpty()) {
      throw new StepFailure(
          "actions/setup-java: No file in "
              + step.workspace()
              + " matched to ["
              + String.join(",", patterns)
              + "], make sure you have checked out the target repository");
    }
    String key =
        "setup-java-Linux-"
            + (InstalledJdk.arch(System.getProperty("os.arch")).equals("aarch64") ? "arm64" : "x64")
            + "-"
            + tool
            + "-"
            + hash;
    String paths = String.join("\n", build.paths());
    Optional<CacheStore.Entry> hit = CacheStep.restore(step, paths, key, List.of(), false);
    boolean exact = hit.isPresent() && hit.get().key().equals(key);
    step.posts().accept(CacheStep.postSave(step, uses, paths, key, exact, false));
    return hit.isPresent();
  }
}
