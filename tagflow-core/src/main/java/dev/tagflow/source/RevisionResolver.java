package dev.tagflow.source;

import dev.tagflow.TagflowException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Turns a {@code targetRevision} into a commit of a repository, for the controller and the pipeline
 * alike. Tried in this order, so a name always means what {@code git rev-parse} would make of it
 * before it is read as a range:
 *
 * <ol>
 *   <li>{@code HEAD} (or nothing): the repository's default branch;
 *   <li>a full ref name ({@code refs/heads/main});
 *   <li>a tag, then a branch, of that name;
 *   <li>a full commit id, then an abbreviated one (at least 4 hex digits, unambiguous);
 *   <li>a semver range over the tags: the highest version in the range wins. Tags count when they
 *       are a version after the range's prefix ({@code v1.2.x} looks at {@code v*} tags, {@code
 *       prod-v^1} at {@code prod-v*}); with no prefix both {@code 1.2.3} and {@code v1.2.3} count.
 * </ol>
 */
public final class RevisionResolver {

  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

  /**
   * Resolves a revision in a repository.
   *
   * @param name how to call the repository in an error message
   * @throws TagflowException (INVALID_INPUT) when nothing matches, naming what was tried and seen
   */
  public Revision resolve(Repository repository, String name, String revision) {
    String wanted = revision == null ? "" : revision.strip();
    try {
      if (wanted.isEmpty() || wanted.equals(Constants.HEAD)) {
        return head(repository, name, wanted.isEmpty() ? Constants.HEAD : wanted);
      }
      Optional<Revision> byRef = byRef(repository, wanted);
      if (byRef.isPresent()) {
        return byRef.get();
      }
      Optional<Revision> byCommit = byCommit(repository, name, wanted);
      if (byCommit.isPresent()) {
        return byCommit.get();
      }
      Optional<SemVerRange> range = SemVerRange.tryParse(wanted);
      if (range.isPresent()) {
        return highestTag(repository, name, wanted, range.get());
      }
      throw TagflowException.invalidInput(
          "'"
              + wanted
              + "' is not a branch, tag or commit of "
              + name
              + " (branches: "
              + shortNames(repository, Constants.R_HEADS)
              + "; tags: "
              + shortNames(repository, Constants.R_TAGS)
              + ")");
    } catch (IOException e) {
      throw TagflowException.failed(
          "cannot read repository " + name + " to resolve '" + wanted + "': " + e.getMessage(), e);
    }
  }

  private Revision head(Repository repository, String name, String requested) throws IOException {
    Ref head = repository.exactRef(Constants.HEAD);
    if (head == null || head.getObjectId() == null) {
      throw TagflowException.invalidInput(
          name
              + " has no HEAD commit (is it empty? branches: "
              + shortNames(repository, Constants.R_HEADS)
              + ")");
    }
    Optional<String> target =
        head.isSymbolic() ? Optional.of(head.getTarget().getName()) : Optional.empty();
    return new Revision(
        requested,
        Revision.Kind.HEAD,
        peel(repository, head).name(),
        target,
        Optional.empty(),
        Optional.empty());
  }

  private Optional<Revision> byRef(Repository repository, String wanted) throws IOException {
    for (String candidate :
        List.of(wanted, Constants.R_TAGS + wanted, Constants.R_HEADS + wanted)) {
      if (!candidate.startsWith(Constants.R_REFS)) {
        continue;
      }
      Ref ref = repository.exactRef(candidate);
      if (ref == null || ref.getObjectId() == null) {
        continue;
      }
      String commit = peel(repository, ref).name();
      if (candidate.startsWith(Constants.R_TAGS)) {
        String tag = candidate.substring(Constants.R_TAGS.length());
        return Optional.of(
            new Revision(
                wanted,
                Revision.Kind.TAG,
                commit,
                Optional.of(candidate),
                Optional.of(tag),
                TagVersions.versionOf(tag, "")));
      }
      return Optional.of(
          new Revision(
              wanted,
              Revision.Kind.BRANCH,
              commit,
              Optional.of(candidate),
              Optional.empty(),
              Optional.empty()));
    }
    return Optional.empty();
  }

  private Optional<Revision> byCommit(Repository repository, String name, String wanted)
      throws IOException {
    if (wanted.length() < 4
        || wanted.length() > Constants.OBJECT_ID_STRING_LENGTH
        || !HEX.matcher(wanted).matches()) {
      return Optional.empty();
    }
    try (ObjectReader reader = repository.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      Collection<ObjectId> ids = reader.resolve(AbbreviatedObjectId.fromString(wanted));
      List<RevCommit> commits = new ArrayList<>();
      for (ObjectId id : ids) {
        // A full id comes back whether or not the object exists.
        if (reader.has(id) && reader.open(id).getType() == Constants.OBJ_COMMIT) {
          commits.add(walk.parseCommit(id));
        }
      }
      if (commits.size() > 1) {
        throw TagflowException.invalidInput(
            "'"
                + wanted
                + "' is ambiguous in "
                + name
                + ": "
                + commits.size()
                + " commits start with it; give more digits");
      }
      if (commits.isEmpty()) {
        if (wanted.length() == Constants.OBJECT_ID_STRING_LENGTH) {
          throw TagflowException.invalidInput(
              "commit "
                  + wanted
                  + " is not in "
                  + name
                  + " (not fetched yet, or on no branch or tag of it)");
        }
        return Optional.empty();
      }
      return Optional.of(
          new Revision(
              wanted,
              Revision.Kind.COMMIT,
              commits.getFirst().name(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty()));
    }
  }

  private Revision highestTag(Repository repository, String name, String wanted, SemVerRange range)
      throws IOException {
    Map<SemVer, Ref> versions = new HashMap<>();
    List<String> seen = new ArrayList<>();
    for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
      String tag = ref.getName().substring(Constants.R_TAGS.length());
      seen.add(tag);
      TagVersions.versionOf(tag, range.prefix())
          // Two tags for one version (1.2.3 and v1.2.3): keep the first, as listed (by name).
          .ifPresent(v -> versions.putIfAbsent(v, ref));
    }
    Optional<SemVer> best = range.highest(versions.keySet());
    if (best.isEmpty()) {
      String prefixNote =
          range.prefix().isEmpty()
              ? "tags that are a version or v + version"
              : "tags '" + range.prefix() + "' + version";
      throw TagflowException.invalidInput(
          "no tag of "
              + name
              + " matches the version range '"
              + wanted
              + "' (looked at "
              + prefixNote
              + (range.namesPrerelease() ? "" : ", prereleases excluded")
              + "; tags seen: "
              + (seen.isEmpty() ? "none" : String.join(", ", seen))
              + ")");
    }
    Ref ref = versions.get(best.get());
    return new Revision(
        wanted,
        Revision.Kind.VERSION_RANGE,
        peel(repository, ref).name(),
        Optional.of(ref.getName()),
        Optional.of(ref.getName().substring(Constants.R_TAGS.length())),
        best);
  }

  /** The commit a ref points at, through annotated tags. */
  private static ObjectId peel(Repository repository, Ref ref) throws IOException {
    try (RevWalk walk = new RevWalk(repository)) {
      return walk.parseCommit(ref.getObjectId()).getId();
    } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException notACommit) {
      throw TagflowException.invalidInput(
          ref.getName() + " does not point at a commit, so it cannot be deployed");
    }
  }

  private static String shortNames(Repository repository, String prefix) throws IOException {
    List<String> names = new ArrayList<>();
    for (Ref ref : repository.getRefDatabase().getRefsByPrefix(prefix)) {
      names.add(ref.getName().substring(prefix.length()));
    }
    if (names.isEmpty()) {
      return "none";
    }
    if (names.size() > 20) {
      return String.join(", ", names.subList(0, 20)) + ", … (" + names.size() + " in all)";
    }
    return String.join(", ", names);
  }
}
