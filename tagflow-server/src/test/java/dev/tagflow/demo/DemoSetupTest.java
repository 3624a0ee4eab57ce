package dev.tagflow.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.TagflowException;
import dev.tagflow.local.process.ComponentProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSetupTest {

  @TempDir Path data;

  @Test
  void aThreadDumpOfAJvmNamesItsThreadsVirtualOnesIncluded() throws Exception {
    Thread parked = Thread.ofVirtual().name("parked-for-the-dump").start(() -> LockSupport.park());
    try {
      Path dump = DemoSetup.threadDump(ProcessHandle.current().pid(), data.resolve("threads.txt"));

      assertThat(Files.readString(dump))
          .contains("\"" + Thread.currentThread().getName() + "\"")
          .contains("parked-for-the-dump")
          .contains("LockSupport.park");
    } finally {
      LockSupport.unpark(parked);
      parked.join();
    }
  }

  @Test
  void aThreadDumpOfAProcessThatIsNoJvmSaysWhy() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "300").start();
    try {
      assertThatThrownBy(() -> DemoSetup.threadDump(sleeper.pid(), data.resolve("threads.txt")))
          .isInstanceOf(TagflowException.class)
          .hasMessageStartingWith("no thread dump: '")
          .hasMessageContaining("Thread.dump_to_file")
          .hasMessageContaining("exited with");
      assertThat(data.resolve("threads.txt")).doesNotExist();
      assertThat(data.resolve("threads.txt.jcmd")).as("jcmd's words, read").doesNotExist();
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }

  @Test
  void noThreadDumpBeforeTheServerStarts() {
    assertThatThrownBy(() -> new DemoSetup(data, "demo").serverThreadDump())
        .isInstanceOf(TagflowException.class)
        .hasMessage("no thread dump: the server does not run");
  }

  @Test
  void aPortInUseIsSkipped() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = DemoSetup.freePort(taken.getLocalPort());

      assertThat(port).isGreaterThan(taken.getLocalPort());
      try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(free.isBound()).isTrue();
      }
    }
  }

  @Test
  void cleaningStopsWhatAnEarlierDemoLeftRunningAndRemovesItsFiles() throws Exception {
    Path home = data.resolve("demo").resolve("demo");
    ComponentProcess left = ComponentProcess.launch("sleeper", List.of("sleep", "300"), home);
    Files.writeString(home.resolve("tagflow.yaml"), "listen: 127.0.0.1:17070\n");

    List<ComponentProcess> stopped = new DemoSetup(data, "demo").clean();

    assertThat(stopped).extracting(ComponentProcess::name).containsExactly("sleeper");
    ProcessHandle.of(left.pid()).ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
    assertThat(left.isAlive()).isFalse();
    assertThat(home).doesNotExist();
  }

  @Test
  void aDemoOfAnotherNameBesideItKeepsItsProcessesAndOneOfTheSameNameIsRefused() throws Exception {
    DemoSetup first = new DemoSetup(data, "one");
    first.clean();
    ComponentProcess running =
        ComponentProcess.launch("sleeper", List.of("sleep", "300"), first.home());
    try {
      DemoSetup beside = new DemoSetup(data, "two");
      assertThat(beside.clean()).isEmpty();
      assertThat(beside.home()).isNotEqualTo(first.home());
      assertThat(running.isAlive()).as("the first demo's process").isTrue();

      assertThatThrownBy(() -> new DemoSetup(data, "one").clean())
          .isInstanceOf(TagflowException.class)
          .hasMessageContaining("a demo named 'one' already runs")
          .hasMessageContaining("another --name or --data-dir");
      assertThat(running.isAlive()).as("the first demo's process").isTrue();
      beside.close();

      first.close(); // the lock is released: the same name may start again
      DemoSetup again = new DemoSetup(data, "one");
      assertThat(again.clean()).extracting(ComponentProcess::name).containsExactly("sleeper");
      again.close();
    } finally {
      running.stop();
    }
  }
}
