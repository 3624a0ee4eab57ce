package dev.tagflow.local.postgres;

import java.util.concurrent.CountDownLatch;

/**
 * A JVM that starts PostgreSQL, says {@code READY <pid> <folder>}, and waits to be killed; run by
 * {@link LocalPostgresIT}.
 */
public final class AttachedPostgresMain {

  private AttachedPostgresMain() {}

  public static void main(String[] args) throws InterruptedException {
    LocalPostgres postgres = LocalPostgres.start();
    System.out.println("READY " + postgres.process().pid() + " " + postgres.folder());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
