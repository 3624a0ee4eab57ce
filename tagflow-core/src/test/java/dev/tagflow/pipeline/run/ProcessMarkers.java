package dev.tagflow.pipeline.run;

import java.util.List;

/** The live processes whose command line holds a marker the test put there. */
final class ProcessMarkers {

  private ProcessMarkers() {}

  static List<String> running(String marker) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .filter(line -> line.contains(marker))
        .toList();
  }
}
