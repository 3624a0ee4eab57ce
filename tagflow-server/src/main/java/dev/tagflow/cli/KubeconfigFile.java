package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a command finds its kubeconfig: the flag, else $KUBECONFIG's first file, else kubectl's.
 */
final class KubeconfigFile {

  private KubeconfigFile() {}

  /**
   * @param given the {@code --kubeconfig} flag, or null
   * @param whenMissing the end of the error when there is no file: what it was for, how to fix it
   */
  static Path locate(Path given, String whenMissing) {
    Path file = given;
    if (file == null) {
      String env = System.getenv("KUBECONFIG");
      file =
          env != null && !env.isBlank()
              ? Path.of(env.split(File.pathSeparator)[0])
              : Path.of(System.getProperty("user.home"), ".kube", "config");
    }
    if (!Files.isRegularFile(file)) {
      throw TagflowException.invalidInput("no kubeconfig at " + file + whenMissing);
    }
    return file;
  }
}
