package dev.tagflow.server.pipeline;

import dev.tagflow.NodeText;
import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import dev.tagflow.pipeline.run.PipelineRunner;
import dev.tagflow.pipeline.run.RunEvent;
import dev.tagflow.pipeline.workflow.RefPush;
import dev.tagflow.pipeline.workflow.Workflow;
import dev.tagflow.pipeline.workflow.WorkflowSet;
import dev.tagflow.store.RunRecord;
import dev.tagflow.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides which runs go to the {@link RunSlots}: a workflow runs once per commit of a ref and a tag
 * once (a moved tag is refused and recorded unless forced); an admitted run is stored QUEUED first,
 * and the runs stored QUEUED by a server that stopped are queued again at start.
 */
final class RunAdmission {

  private static final Logger log = LoggerFactory.getLogger(PipelineService.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final RunStore store;
  private final PipelineRunner runner;
  private final RunSlots slots;
  private final RunRefusals refusals;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();

  RunAdmission(
      RunStore store, PipelineRunner runner, RunSlots slots, RunRefusals refusals, Clock clock) {
    this.store = store;
    this.runner = runner;
    this.slots = slots;
    this.refusals = refusals;
    this.clock = clock;
  }

  /** Records, as a new run, a workflow that does not run, with the reasons why not. */
  void refuse(
      String name, Path mirror, String file, RefPush push, String commit, List<String> reasons) {
    refusals.record(newRunId(), name, mirror, file, push, commit, reasons);
  }

  /** A run stored QUEUED by a server that stopped: queued again, or failed saying why not. */
  void requeue(RunStore.QueuedRun queuedRun) {
    RunRecord run = queuedRun.run();
    try {
      JsonNode request = PlainJson.MAPPER.readTree(queuedRun.request());
      String url = NodeText.of(request.path("url"));
      Path mirror = Path.of(NodeText.of(request.path("mirror")));
      RefPush push = pushOf(run.ref());
      Map<String, String> inputs = RunSources.inputsOf(request);
      if (!Files.isDirectory(mirror)) {
        refusals.refuseQueued(
            run, "the repository's mirror " + mirror + " is gone; push the tag again");
        return;
      }
      WorkflowSet set = new MirrorWorkflows(mirror, run.repository()).at(run.commit());
      Optional<Workflow> found =
          set.workflows().stream().filter(w -> w.file().equals(run.workflow())).findFirst();
      if (found.isEmpty()) {
        List<String> problems = MirrorWorkflows.problemsOf(set, run.workflow());
        refusals.refuseQueued(
            run,
            run.workflow()
                + " is not a workflow at "
                + run.commit()
                + " any more"
                + (problems.isEmpty() ? " (the file is gone)" : ": " + problems)
                + "; the queued run cannot start after the restart");
        return;
      }
      RunEvent event =
          run.event().equals("workflow_dispatch")
              ? RunEvent.dispatch(push, inputs)
              : RunEvent.push(push);
      log.info(
          "repository={} ref={} commit={} workflow={} run={}: queued before the restart, queued"
              + " again",
          run.repository(),
          run.ref(),
          run.commit(),
          run.workflow(),
          run.runId());
      slots.enqueue(
          new RunSlots.Ticket(
              run.runId(), run.repository(), url, mirror, found.get(), event, run.commit()));
    } catch (RuntimeException e) { // Jackson's failures among them (an IOException in Jackson 2)
      refusals.refuseQueued(
          run, "it could not be queued again after the restart: " + e.getMessage());
    }
  }

  /**
   * Records a run QUEUED and hands it to the slots, unless one ran at this commit (empty; a rerun
   * or dispatch skips that check) or the tag ran at another commit (refused and recorded, empty).
   */
  synchronized Optional<String> queue(
      String name,
      String url,
      Path mirror,
      Workflow workflow,
      RunEvent event,
      String commit,
      boolean force,
      boolean rerun) {
    if (slots.closed()) {
      throw TagflowException.failed("the server is stopping; nothing new is queued");
    }
    RefPush push = event.ref();
    List<RunRecord> earlier = store.forRef(name, workflow.file(), push.ref());
    if (!force) {
      boolean ranThisCommit =
          !rerun
              && earlier.stream()
                  .anyMatch(
                      r ->
                          r.commit().equals(commit)
                              && !RunRefusals.isRefusal(r)
                              && r.status() != RunRecord.RunStatus.INTERRUPTED);
      if (ranThisCommit) {
        log.info(
            "repository={} ref={} commit={} workflow={}: ran (or is queued) already for this"
                + " commit, not again",
            name,
            push.ref(),
            commit,
            workflow.file());
        return Optional.empty();
      }
      if (push.kind() == RefPush.Kind.TAG) {
        Optional<RunRecord> other =
            earlier.stream()
                .filter(r -> !r.commit().equals(commit) && !RunRefusals.isRefusal(r))
                .findFirst();
        if (other.isPresent()) {
          refuse(
              name,
              mirror,
              workflow.file(),
              push,
              commit,
              List.of(
                  "tag "
                      + push.name()
                      + " moved from "
                      + other.get().commit()
                      + " (run "
                      + other.get().runId()
                      + ") to "
                      + commit
                      + "; a tag runs its workflow once. To run it at the new commit:"
                      + " tagflow runs rerun <this run> --force"));
          return Optional.empty();
        }
      }
    }
    String runId = newRunId();
    ObjectNode request = PlainJson.MAPPER.createObjectNode();
    request.put("format", 1);
    request.put("url", url);
    request.put("mirror", mirror.toString());
    ObjectNode inputs = request.putObject("inputs");
    event.inputs().forEach(inputs::put);
    // Stored before it waits: a stop while it waits loses nothing, the next start queues it again.
    store.queued(
        new RunRecord(
            runId,
            name,
            workflow.file(),
            push.ref(),
            commit,
            event.name(),
            RunRecord.RunStatus.QUEUED,
            clock.instant(),
            Optional.empty(),
            runner.directory(runId).resolve("log.txt").toString(),
            Optional.empty()),
        request.toString());
    log.info(
        "repository={} ref={} commit={} workflow={} run={}: queued ({})",
        name,
        push.ref(),
        commit,
        workflow.file(),
        runId,
        event.name());
    slots.enqueue(new RunSlots.Ticket(runId, name, url, mirror, workflow, event, commit));
    return Optional.of(runId);
  }

  /** The push of a stored run's ref. */
  static RefPush pushOf(String ref) {
    return ref.startsWith("refs/tags/")
        ? RefPush.tag(ref.substring("refs/tags/".length()))
        : RefPush.branch(ref.substring("refs/heads/".length()));
  }

  /** A new run's id: when, which server process, and a count. */
  private String newRunId() {
    return STAMP.format(clock.instant())
        + "-"
        + ProcessHandle.current().pid()
        + "-"
        + sequence.incrementAndGet();
  }
}
