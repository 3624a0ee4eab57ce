package dev.tagflow.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Pod is healthy when it runs and is ready, or has completed; it is degraded when it failed or a
 * container cannot start (crash loop, image pull failure, bad configuration).
 */
final class PodCheck implements HealthCheck {

  /** Waiting reasons the kubelet only leaves by a change to the pod or its environment. */
  private static final Set<String> STUCK =
      Set.of(
          "CrashLoopBackOff",
          "ImagePullBackOff",
          "ErrImagePull",
          "ErrImageNeverPull",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError");

  @Override
  public HealthStatus check(KubeObject pod) {
    List<Map<?, ?>> containers = new ArrayList<>(pod.list("status", "initContainerStatuses"));
    containers.addAll(pod.list("status", "containerStatuses"));
    // Checked before the phase: a crash-looping pod's phase stays Running, an image that cannot
    // be pulled keeps it Pending, and neither will resolve on its own.
    List<String> stuck = new ArrayList<>();
    for (Map<?, ?> c : containers) {
      String reason = waitingReason(c);
      if (STUCK.contains(reason) || reason.startsWith("Err")) {
        String message = text(nested(c, "state", "waiting").get("message"));
        stuck.add(
            "container "
                + c.get("name")
                + ": "
                + reason
                + (message.isEmpty() ? "" : ": " + message));
      }
    }
    if (!stuck.isEmpty()) {
      return HealthStatus.degraded(String.join("; ", stuck));
    }
    String phase = pod.text("status", "phase");
    return switch (phase) {
      case "Succeeded" -> HealthStatus.healthy("completed");
      case "Failed" -> HealthStatus.degraded(failure(pod, containers));
      case "Pending" -> HealthStatus.progressing(pending(pod, containers));
      case "Running" -> running(pod, containers);
      default -> HealthStatus.unknown(phase.isEmpty() ? "no status yet" : "phase " + phase);
    };
  }

  private static HealthStatus running(KubeObject pod, List<Map<?, ?>> containers) {
    String policy = pod.text("spec", "restartPolicy");
    if (!policy.isEmpty() && !"Always".equals(policy)) {
      // A pod meant to finish (a hook, a job's pod) is on its way until it has succeeded.
      return HealthStatus.progressing("running");
    }
    var ready = pod.condition("Ready");
    if (ready.isPresent() && ready.get().isTrue()) {
      return HealthStatus.healthy("running and ready");
    }
    for (Map<?, ?> c : containers) {
      Map<?, ?> terminated = nested(c, "lastState", "terminated");
      if (!terminated.isEmpty()) {
        return HealthStatus.degraded(
            "container " + c.get("name") + " restarted: " + terminatedReason(terminated));
      }
    }
    return HealthStatus.progressing(
        "running, not ready" + ready.map(r -> ": " + r.explanation()).orElse(""));
  }

  private static String pending(KubeObject pod, List<Map<?, ?>> containers) {
    for (Map<?, ?> c : containers) {
      String reason = waitingReason(c);
      if (!reason.isEmpty()) {
        return "container " + c.get("name") + ": " + reason;
      }
    }
    var scheduled = pod.condition("PodScheduled");
    if (scheduled.isPresent() && scheduled.get().isFalse()) {
      return "not scheduled: " + scheduled.get().explanation();
    }
    return pod.text("status", "message").isEmpty() ? "pending" : pod.text("status", "message");
  }

  private static String failure(KubeObject pod, List<Map<?, ?>> containers) {
    if (!pod.text("status", "message").isEmpty()) {
      return "failed: " + pod.text("status", "message");
    }
    for (Map<?, ?> c : containers) {
      Map<?, ?> terminated = nested(c, "state", "terminated");
      if (!terminated.isEmpty() && !"0".equals(text(terminated.get("exitCode")))) {
        return "failed: container " + c.get("name") + " " + terminatedReason(terminated);
      }
    }
    return "failed";
  }

  private static String terminatedReason(Map<?, ?> terminated) {
    String message = text(terminated.get("message"));
    String reason = text(terminated.get("reason"));
    String exit = "exit code " + text(terminated.get("exitCode"));
    if (!message.isEmpty()) {
      return message + " (" + exit + ")";
    }
    return reason.isEmpty() ? exit : reason + " (" + exit + ")";
  }

  private static String waitingReason(Map<?, ?> container) {
    return text(nested(container, "state", "waiting").get("reason"));
  }

  private static Map<?, ?> nested(Map<?, ?> map, String... path) {
    Object current = map;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> m)) {
        return Map.of();
      }
      current = m.get(key);
    }
    return current instanceof Map<?, ?> m ? m : Map.of();
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }
}
