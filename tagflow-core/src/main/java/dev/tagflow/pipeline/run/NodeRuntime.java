package dev.tagflow.pipeline.run;

import dev.tagflow.pipeline.workflow.ActionDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's Node for JavaScript actions: {@code node} found on the steps' {@code PATH}, its major
 * version asked once, and an action refused when it asks for a newer Node than the host has ({@code
 * node24} on Node 20). An older {@code using:} runs on a newer Node, as GitHub runs {@code node16}
 * and {@code node20} actions on a newer Node today.
 */
final class NodeRuntime {

  private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+).*");

  private final Map<Path, String> versions = new ConcurrentHashMap<>();

  /**
   * The {@code node} to run the action with.
   *
   * @throws StepFailure when there is none, or it is older than the action asks
   */
  Path check(ActionDefinition.Node action, String uses, String hostPath, List<String> added) {
    List<String> dirs = new ArrayList<>(added.reversed());
    if (hostPath != null) {
      dirs.addAll(List.of(hostPath.split(":")));
    }
    Path node = null;
    for (String dir : dirs) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, "node");
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        node = candidate;
        break;
      }
    }
    if (node == null) {
      throw new StepFailure(
          "the action "
              + uses
              + " runs on Node (runs.using: "
              + action.using()
              + "), and there is no node on the PATH of the Tagflow host; install Node "
              + Math.max(20, action.major())
              + " or newer");
    }
    String version = versions.computeIfAbsent(node, NodeRuntime::version);
    Matcher m = VERSION.matcher(version);
    if (!m.matches()) {
      throw new StepFailure(
          node + " --version says '" + version + "', not a Node version; check the host's Node");
    }
    int major = Integer.parseInt(m.group(1));
    if (major < action.major()) {
      throw new StepFailure(
          "the action "
              + uses
              + " needs Node "
              + action.major()
              + " (runs.using: "
              + action.using()
              + "), and the Tagflow host has Node "
              + version
              + " ("
              + node
              + "); install Node "
              + action.major()
              + " or newer on the host");
    }
    return node;
  }

  private static String version(Path node) {
    try {
      Process process =
          new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readNBytes(200);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "(no answer)";
      }
      return new String(out, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "(" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }
}
