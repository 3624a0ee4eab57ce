package dev.tagflow.server.notify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The last deliveries of each webhook, in memory, for the UI: newest first. */
final class DeliveryLog {

  private final int perWebhook;
  private final Map<String, Deque<Delivery>> byWebhook = new LinkedHashMap<>();

  DeliveryLog(int perWebhook) {
    if (perWebhook < 1) {
      throw new IllegalArgumentException("perWebhook must be at least 1");
    }
    this.perWebhook = perWebhook;
  }

  synchronized void add(Delivery delivery) {
    Deque<Delivery> recent =
        byWebhook.computeIfAbsent(
            delivery.project() + "/" + delivery.webhook(), k -> new ArrayDeque<>());
    recent.addFirst(delivery);
    while (recent.size() > perWebhook) {
      recent.removeLast();
    }
  }

  synchronized List<Delivery> recent(String project, String webhook) {
    Deque<Delivery> recent = byWebhook.get(project + "/" + webhook);
    return recent == null ? List.of() : List.copyOf(recent);
  }

  synchronized List<Delivery> all() {
    List<Delivery> out = new ArrayList<>();
    byWebhook.values().forEach(out::addAll);
    out.sort(Comparator.comparing(Delivery::at).reversed());
    return out;
  }
}
