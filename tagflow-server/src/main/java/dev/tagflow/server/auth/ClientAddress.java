package dev.tagflow.server.auth;

import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/**
 * The client's address as the server trusts it: the connection's peer, unless that peer is a
 * configured trusted proxy, in which case the right-most {@code X-Forwarded-For} entry that is not
 * itself a trusted proxy. Without trusted proxies the header is ignored, so a client cannot pick
 * the address its login attempts are counted under.
 */
public final class ClientAddress {

  private final Set<String> trustedProxies;

  public ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = Set.copyOf(trustedProxies);
  }

  public static ClientAddress direct() {
    return new ClientAddress(List.of());
  }

  public String of(Context ctx) {
    String peer = ctx.req().getRemoteAddr();
    if (!trustedProxies.contains(peer)) {
      return peer;
    }
    String forwarded = ctx.header("X-Forwarded-For");
    if (forwarded == null || forwarded.length() > 1024) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return hop.length() > 64 ? peer : hop;
      }
    }
    return peer;
  }
}
