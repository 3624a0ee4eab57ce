package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.UrlRedaction;
import dev.tagflow.promote.PromotionRequest;
import dev.tagflow.promote.PromotionResult;
import dev.tagflow.promote.ReleaseRef;
import dev.tagflow.promote.YamlPath;
import dev.tagflow.source.RepoEntry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tagflow promote <tag> --to <env>}: writes a release into environments, under policy. */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description = {
      "Promote a release into environments of an environment repository: each environment's"
          + " policy (environments/policy.yaml) is checked, then environments/<env>/values.yaml"
          + " gets the values (image.tag = the version unless --set says otherwise), changing"
          + " nothing else in the file.",
      "An environment whose policy asks for approval gets a promotion request (see tagflow"
          + " approvals).",
      "Exit code 0 when written or requested, 3 when a policy refused (nothing was written), 2"
          + " for bad input, 1 when writing failed."
    })
final class PromoteCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;
  @Mixin OutputFormat output;

  @Parameters(
      paramLabel = "<tag>",
      description = "The release's tag (v1.2.3, prod-v1.2.3), or with --branch-build a branch.")
  String release;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "<env>",
      description = "An environment; repeat for several, in order.")
  List<String> environments;

  @Option(
      names = "--repo",
      required = true,
      paramLabel = "<url|name>",
      description = "The environment repository: a name from tagflow repo add, a URL or a path.")
  String repository;

  @Option(
      names = "--set",
      paramLabel = "<path=value>",
      description = "A values path and its value (image.tag=1.2.3); repeat for several.")
  List<String> set = new ArrayList<>();

  @Option(
      names = "--mode",
      paramLabel = "<mode>",
      defaultValue = "commit",
      description = "commit (to main), pull-request (a promotion request) or branch (env/<name>).")
  String mode;

  @Option(
      names = "--source",
      paramLabel = "<url|name>",
      description = "The application repository, to find the commit of <tag> and name the release.")
  String source;

  @Option(
      names = "--commit",
      paramLabel = "<sha>",
      description = "The release's commit (instead of looking <tag> up in --source).")
  String commit;

  @Option(names = "--name", paramLabel = "<name>", description = "The release's name (web).")
  String name;

  @Option(names = "--version", paramLabel = "<version>", description = "Default: <tag> without v.")
  String version;

  @Option(names = "--image", paramLabel = "<ref>", description = "The image reference released.")
  String image;

  @Option(names = "--digest", paramLabel = "<digest>", description = "The image's digest.")
  String digest;

  @Option(
      names = "--author",
      paramLabel = "<user>",
      description = "Who made the release (they cannot approve its promotion).")
  String author;

  @Option(names = "--branch-build", description = "<tag> is a branch: a branch build.")
  boolean branchBuild;

  @Option(
      names = "--main-branch",
      paramLabel = "<branch>",
      defaultValue = PromotionRequest.MAIN,
      description = "The environment repository's main branch (default: ${DEFAULT-VALUE}).")
  String mainBranch;

  @Override
  public Integer call() {
    PromotionRequest.Mode parsedMode = PromotionRequest.Mode.parse(mode);
    Map<YamlPath, String> values = values();
    try (PromotionContext context = new PromotionContext(dataDir.resolve())) {
      ReleaseRef ref = release(context);
      PromotionRequest request =
          new PromotionRequest(
              context.repositoryUrl(repository), ref, environments, values, parsedMode, mainBranch);
      PromotionResult result = context.writer().promote(request);
      print(result, ref);
      return result.refused() ? ExitCode.REFUSED : ExitCode.OK;
    }
  }

  private Map<YamlPath, String> values() {
    Map<YamlPath, String> values = new LinkedHashMap<>();
    for (String assignment : set) {
      int equals = assignment.indexOf('=');
      if (equals <= 0) {
        throw TagflowException.invalidInput(
            "--set " + assignment + " is not path=value; write it as --set image.tag=1.2.3");
      }
      values.put(YamlPath.parse(assignment.substring(0, equals)), assignment.substring(equals + 1));
    }
    return values;
  }

  private ReleaseRef release(PromotionContext context) {
    String resolved = commit;
    String releaseName = name;
    if (source != null) {
      String url = context.repositoryUrl(source);
      if (resolved == null) {
        context.repos().cache().fetch(url);
        resolved = context.repos().cache().resolve(url, release).commit();
      }
      if (releaseName == null) {
        releaseName = RepoEntry.defaultName(url);
      }
    }
    if (resolved == null) {
      throw TagflowException.invalidInput(
          "say which commit "
              + release
              + " is: --source <application repository> or --commit <sha>");
    }
    if (!resolved.matches("[0-9a-f]{40}")) {
      throw TagflowException.invalidInput(
          "--commit " + resolved + " is not a full commit id (40 hex digits)");
    }
    ReleaseRef.Source from =
        branchBuild ? new ReleaseRef.Branch(release) : new ReleaseRef.Tag(release);
    String releaseVersion =
        version != null
            ? version
            : branchBuild
                ? release.replace('/', '-') + "-" + resolved.substring(0, 7)
                : ReleaseRef.versionOf(release);
    return new ReleaseRef(
        releaseName == null
            ? RepoEntry.defaultName(context.repositoryUrl(repository))
            : releaseName,
        from,
        releaseVersion,
        resolved,
        Optional.ofNullable(image),
        Optional.ofNullable(digest),
        Optional.ofNullable(author));
  }

  private void print(PromotionResult result, ReleaseRef release) {
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (PromotionResult.Outcome outcome : result.outcomes()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("environment", outcome.environment());
        switch (outcome) {
          case PromotionResult.Written w -> {
            row.put("result", "written");
            row.put("branch", w.branch());
            row.put("commit", w.commit());
            row.put("changes", w.summary());
            row.put("attempts", w.attempts());
          }
          case PromotionResult.Unchanged u -> {
            row.put("result", "unchanged");
            row.put("branch", u.branch());
            row.put("commit", u.commit());
          }
          case PromotionResult.Requested r -> {
            row.put("result", "requested");
            row.put("request", r.requestId());
            row.put("branch", r.branch());
            row.put("commit", r.commit());
            row.put("requiredApprovals", r.requiredApprovals());
          }
          case PromotionResult.Refused r -> {
            row.put("result", "refused");
            row.put("rule", r.rule().orElse(null));
            row.put("message", r.message());
          }
        }
        rows.add(row);
      }
      output.printJson(out, Map.of("release", release.source().name(), "environments", rows));
      return;
    }
    for (PromotionResult.Outcome outcome : result.outcomes()) {
      String line =
          switch (outcome) {
            case PromotionResult.Written w ->
                w.environment()
                    + ": committed "
                    + w.commit().substring(0, 12)
                    + " to "
                    + w.branch()
                    + " ("
                    + w.summary()
                    + ")";
            case PromotionResult.Unchanged u ->
                u.environment() + ": already there on " + u.branch() + ", nothing to write";
            case PromotionResult.Requested r ->
                r.environment()
                    + ": promotion request "
                    + r.requestId()
                    + " waits for "
                    + r.requiredApprovals()
                    + " approval(s) (branch "
                    + r.branch()
                    + "); run tagflow approvals approve "
                    + r.requestId();
            case PromotionResult.Refused r ->
                r.environment() + ": refused: " + UrlRedaction.redact(r.message());
          };
      out.println(line);
    }
  }
}
