package dev.tagflow.promote;

import dev.tagflow.TagflowException;
import dev.tagflow.store.PromotionDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The commits a promotion makes: an environment's values file edited at a base commit, the message
 * naming the release, who commits, and how long to wait before pushing again.
 */
final class EnvironmentCommits {

  private final ValuesEditor editor;
  private final WriterOptions options;

  EnvironmentCommits(ValuesEditor editor, WriterOptions options) {
    this.editor = editor;
    this.options = options;
  }

  /** A values file after the edits: its text, whether it changed, and what changed. */
  record Edit(String text, boolean changed, String summary) {}

  Edit edit(EnvRepository repo, ObjectId base, Environment environment, Map<YamlPath, String> set) {
    String file = environment.valuesFile();
    String text =
        repo.read(base, file)
            .orElseThrow(
                () ->
                    TagflowException.invalidInput(
                        file
                            + " does not exist at "
                            + base.name()
                            + " of "
                            + repo.where()
                            + "; create it (an empty file will do) so that Tagflow can set values in"
                            + " it"));
    String edited = text;
    List<String> changes = new ArrayList<>();
    for (Map.Entry<YamlPath, String> entry : set.entrySet()) {
      ValuesEditor.Edited result = editor.set(file, edited, entry.getKey(), entry.getValue());
      if (result.changed()) {
        changes.add(
            entry.getKey() + ": " + result.before().orElse("(none)") + " → " + entry.getValue());
      }
      edited = result.text();
    }
    return new Edit(edited, !edited.equals(text), String.join(", ", changes));
  }

  static ObjectId mainHead(EnvRepository repo, String branch) {
    return repo.head(branch)
        .orElseThrow(
            () ->
                TagflowException.invalidInput(
                    repo.where()
                        + " has no branch "
                        + branch
                        + "; push the environment repository's main branch first, or name the"
                        + " branch it uses"));
  }

  /** Where a change to the target branch starts: its head, or main's for a new branch. */
  static ObjectId base(EnvRepository repo, String target, String main) {
    return repo.head(target).orElseGet(() -> mainHead(repo, main));
  }

  PersonIdent identity() {
    return new PersonIdent(
        options.committerName(),
        options.committerEmail(),
        options.clock().instant(),
        options.clock().getZone());
  }

  /** {@code promote web v1.2.3 to staging}, what changed, and trailers naming the release. */
  static String message(
      ReleaseRef release, String environment, String summary, Optional<Long> requestId) {
    StringBuilder s =
        new StringBuilder("promote ")
            .append(release.name())
            .append(' ')
            .append(
                release.source() instanceof ReleaseRef.Tag tag
                    ? tag.name()
                    : release.source().name() + " (" + release.version() + ")")
            .append(" to ")
            .append(environment)
            .append("\n\n")
            .append(summary.replace(", ", "\n"))
            .append("\n\n");
    s.append(release.source() instanceof ReleaseRef.Tag ? "Release-Tag: " : "Release-Branch: ")
        .append(release.source().name())
        .append('\n');
    s.append("Release-Version: ").append(release.version()).append('\n');
    s.append("Release-Commit: ").append(release.commit()).append('\n');
    release.image().ifPresent(image -> s.append("Image: ").append(image).append('\n'));
    release.digest().ifPresent(digest -> s.append("Image-Digest: ").append(digest).append('\n'));
    requestId.ifPresent(id -> s.append("Promotion-Request: ").append(id).append('\n'));
    return s.toString();
  }

  static String messageOf(PromotionDraft draft, String summary, long requestId) {
    String[] source = draft.source().split(" ", 2);
    ReleaseRef release =
        new ReleaseRef(
            draft.release(),
            source[0].equals("branch")
                ? new ReleaseRef.Branch(source[1])
                : new ReleaseRef.Tag(source[source.length - 1]),
            draft.version(),
            draft.commit(),
            draft.image(),
            draft.digest(),
            draft.author());
    return message(release, draft.environment(), summary, Optional.of(requestId));
  }

  static String describe(ReleaseRef.Source source) {
    return (source instanceof ReleaseRef.Tag ? "tag " : "branch ") + source.name();
  }

  /**
   * Waits a random while before trying again after a refused push, up to twice as long each time
   * (25 ms, 50 ms, … at most 1 s): two writers that keep pushing at once would otherwise keep
   * refusing each other in step.
   */
  static void backOff(int attempt) {
    long bound = Math.min(1000, 25L << Math.min(attempt - 2, 6));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(bound + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TagflowException.failed("interrupted while waiting to push again", e);
    }
  }

  TagflowException kept(EnvRepository repo, String branch) {
    return TagflowException.failed(
        "could not push to "
            + branch
            + " of "
            + repo.where()
            + ": it moved again before each of "
            + options.maxAttempts()
            + " attempts; nothing was written, try again");
  }
}
