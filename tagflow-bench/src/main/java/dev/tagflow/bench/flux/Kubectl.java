package dev.tagflow.bench.flux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The testkit's kubectl as the cluster's admin: for what fabric8 has no call for (the API server's
 * {@code /metrics}, server-side apply of a folder of CRDs, a service account's token).
 */
record Kubectl(Path binary, Path kubeconfig) {

  /** Runs kubectl; its output, or an error with its message and the command. */
  String run(String... args) {
    List<String> command =
        new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException(
            "kubectl "
                + String.join(" ", args)
                + " exited with "
                + process.exitValue()
                + ": "
                + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + binary + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running kubectl", e);
    }
  }
}
