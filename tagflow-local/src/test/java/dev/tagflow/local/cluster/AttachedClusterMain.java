package dev.tagflow.local.cluster;

import dev.tagflow.local.registry.LocalRegistry;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A JVM that starts an attached cluster and registry and waits to be killed; run by {@link
 * WatchdogIT}.
 */
public final class AttachedClusterMain {

  private AttachedClusterMain() {}

  public static void main(String[] args) throws InterruptedException {
    LocalCluster.start(
        ClusterOptions.defaults("watchdog-test", Path.of(args[0]), true).withFirstPort(17443),
        line -> {});
    LocalRegistry.start(Path.of(args[0]), 15200, true);
    System.out.println("READY");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
