package dev.tagflow.local.cluster;

import dev.tagflow.local.LocalSetupException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds free TCP ports on the loopback interface, scanning upward from a starting port and skipping
 * ports that something already listens on or that this allocator handed out before.
 */
public final class PortAllocator {

  private static final int LAST_PORT = 65535;

  private final int start;
  private final Set<Integer> handedOut = new HashSet<>();
  private int next;

  public PortAllocator(int start) {
    if (start < 1024 || start > LAST_PORT) {
      throw LocalSetupException.invalidInput(
          "port " + start + " is outside 1024-65535; choose a start port in that range");
    }
    this.start = start;
    this.next = start;
  }

  /** The next port at or above the last one that is free now. */
  public synchronized int next() {
    for (int port = next; port <= LAST_PORT; port++) {
      if (!handedOut.contains(port) && isFree(port)) {
        handedOut.add(port);
        next = port + 1;
        return port;
      }
    }
    throw LocalSetupException.failed(
        "no free loopback port between " + start + " and " + LAST_PORT + "; stop what uses them");
  }

  /** Whether nothing listens on {@code port} of 127.0.0.1 right now. */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
