package dev.tagflow.local.cluster;

import dev.tagflow.local.registry.LocalRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A JVM that starts an attached cluster and registry and waits to be killed; run by {@link
 * WatchdogIT}. A line {@code close} on its input makes it stop the cluster, so a test can kill it
 * in the middle of that; a line {@code restart} stops and starts kube-apiserver again (a new pid).
 */
public final class AttachedClusterMain {

  private AttachedClusterMain() {}

  public static void main(String[] args) throws InterruptedException, IOException {
    LocalCluster cluster =
        LocalCluster.start(
            ClusterOptions.defaults("watchdog-test", Path.of(args[0]), true).withFirstPort(17443),
            line -> {});
    LocalRegistry.start(Path.of(args[0]), 15200, true);
    System.out.println("READY");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String command = in.readLine();
    if ("close".equals(command)) {
      System.out.println("CLOSING");
      System.out.flush();
      cluster.close();
      System.out.println("CLOSED");
      System.out.flush();
    } else if ("restart".equals(command)) {
      cluster.stop("kube-apiserver");
      cluster.restart("kube-apiserver");
      System.out.println("RESTARTED");
      System.out.flush();
    }
    new CountDownLatch(1).await();
  }
}
