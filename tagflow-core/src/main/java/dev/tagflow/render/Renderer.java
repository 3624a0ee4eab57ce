package dev.tagflow.render;

import dev.tagflow.GroupKind;
import dev.tagflow.PlainJson;
import dev.tagflow.TagflowException;
import dev.tagflow.source.RepoCache;
import dev.tagflow.source.Revision;
import dev.tagflow.source.TreeReader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desired state of a source at a revision, as the objects Tagflow would apply: plain manifests,
 * a Helm chart or a Kustomize overlay, validated, with namespaces defaulted for the destination.
 *
 * <p>Results are cached by content: the tree ids of what was read (the source's path, the chart, an
 * overlay's bases), the digest of the values, and the target's namespace and capabilities. A new
 * commit that changes nothing a source reads renders nothing; the same chart with the same values
 * at another commit is a hit too.
 *
 * <p>Thread-safe. Close it to remove the files written out for Helm and kubectl.
 */
public final class Renderer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Renderer.class);

  private final RepoCache repos;
  private final MeterRegistry meters;
  private final ManifestParser written;
  private final ManifestParser generated;
  private final ManifestValidator validator = new ManifestValidator();
  private final Workspace workspace;
  private final RenderCache cache;
  private final DirectoryRenderer directories;
  private final HelmRenderer charts;
  private final KustomizeRenderer overlays;

  public Renderer(RepoCache repos, RenderOptions options, MeterRegistry meters) {
    this.repos = Objects.requireNonNull(repos, "repos");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.written = new ManifestParser(true, options.yamlLimits());
    // Helm and kustomize print a whole chart or overlay; what they print is theirs, not strict.
    this.generated = new ManifestParser(false, options.yamlLimits().forGeneratedOutput());
    this.workspace = new Workspace(options.workDir());
    this.cache = new RenderCache(options.cacheEntries(), meters);
    this.directories = new DirectoryRenderer(written);
    this.charts = new HelmRenderer(written, generated, workspace);
    this.overlays =
        new KustomizeRenderer(
            written, generated, workspace, options.kubectl(), options.kustomizeTimeout());
  }

  /**
   * Renders one source at a resolved revision.
   *
   * @throws TagflowException (INVALID_INPUT) for what the user can fix, with the file and line, or
   *     the path and revision; (FAILED) when a program or the disk failed
   */
  public List<Manifest> render(RenderSource source, Revision revision, RenderTarget target) {
    Timer.Sample sample = Timer.start(meters);
    String kind = kindName(source.kind());
    try {
      RenderPlan plan = plan(source, revision, target);
      String key = key(plan, target);
      var cached = cache.get(key);
      List<Manifest> manifests;
      if (cached.isPresent()) {
        manifests = cached.get();
        log.debug(
            "render {} at {}: {} objects from cache",
            source.application(),
            revision.shortCommit(),
            manifests.size());
      } else {
        long started = System.nanoTime();
        manifests = validator.validate(plan.documents().get(), target);
        cache.put(key, manifests);
        log.info(
            "rendered {} ({}) at {} {}: {} objects in {} ms",
            source.application(),
            plan.kind(),
            revision.requested(),
            revision.shortCommit(),
            manifests.size(),
            (System.nanoTime() - started) / 1_000_000);
      }
      sample.stop(timer(kind, "success"));
      return copies(manifests);
    } catch (TagflowException e) {
      sample.stop(timer(kind, "failure"));
      // INFO, not WARN: the caller reports the failure (the CLI as its one-line error, the
      // controller on the application's status); a WARN here printed it twice.
      log.info(
          "render of {} at {} {} failed: {}",
          source.application(),
          revision.requested(),
          revision.shortCommit(),
          e.getMessage());
      throw e;
    }
  }

  /**
   * Forgets the renders it keeps. A controller keeps the objects of each application's current
   * render itself and renders again only when the key changed, so once a burst of work is over the
   * cache holds a second copy of every application's objects and one of each revision before (4 MB
   * of a server's 32 MB of live heap at 100 applications; BENCHMARKS.md, "Memory at rest"). The
   * server forgets them when it goes quiet; within a burst the cache answers a revert, or
   * applications that render the same source.
   */
  public void forgetRenders() {
    cache.clear();
  }

  /**
   * The content key of a render without rendering: what the source reads at that revision (tree
   * ids, value digests) and the target. Two renders with the same key give the same objects, so a
   * caller that kept the objects of a key needs no render at all (a commit elsewhere in a
   * repository changes no key).
   *
   * @throws TagflowException as {@link #render} does when the source cannot be read
   */
  public String inputsKey(RenderSource source, Revision revision, RenderTarget target) {
    return key(plan(source, revision, target), target);
  }

  private static String key(RenderPlan plan, RenderTarget target) {
    return plan.key() + "|" + capabilitiesKey(target);
  }

  /**
   * Renders several sources; one that fails gives a {@link RenderResult.Failed} and the others
   * render as if it were not there.
   */
  public List<RenderResult> renderAll(List<RenderRequest> requests) {
    List<RenderResult> results = new ArrayList<>(requests.size());
    for (RenderRequest request : requests) {
      try {
        results.add(
            new RenderResult.Rendered(
                request, render(request.source(), request.revision(), request.target())));
      } catch (TagflowException e) {
        results.add(new RenderResult.Failed(request, e.getMessage()));
      }
    }
    return results;
  }

  /**
   * How a path reads when nobody said: a Helm chart when it holds {@code Chart.yaml}, a Kustomize
   * overlay when it holds a kustomization file, plain manifests otherwise (as Argo CD decides).
   */
  public SourceKind detect(String repoURL, Revision revision, String path) {
    TreeReader tree = repos.tree(repoURL, revision, path);
    if (tree.exists("Chart.yaml")) {
      return SourceKind.Helm.ofChart();
    }
    for (String name : KustomizeRenderer.KUSTOMIZATION_FILES) {
      if (tree.exists(name)) {
        return new SourceKind.Kustomize();
      }
    }
    return SourceKind.Directory.plain();
  }

  private RenderPlan plan(RenderSource source, Revision revision, RenderTarget target) {
    return switch (source.kind()) {
      case SourceKind.Directory directory ->
          directories.plan(source, directory, sourceTree(source, revision));
      case SourceKind.Helm helm -> {
        TreeReader sourceTree = sourceTree(source, revision);
        HelmRenderer.Chart chart =
            helm.chart()
                .map(ref -> chart(source, ref))
                .orElse(new HelmRenderer.Chart(sourceTree, source.repoURL(), revision));
        yield charts.plan(
            source, helm, repos.tree(source.repoURL(), revision, ""), revision, chart, target);
      }
      case SourceKind.Kustomize kustomize -> overlays.plan(source, revision, repos);
      case SourceKind.Detect detect -> {
        SourceKind detected = detect(source.repoURL(), revision, source.path());
        yield plan(
            new RenderSource(
                source.application(),
                source.repoURL(),
                source.path(),
                source.targetRevision(),
                detected),
            revision,
            target);
      }
    };
  }

  private TreeReader sourceTree(RenderSource source, Revision revision) {
    return repos.tree(source.repoURL(), revision, source.path());
  }

  /** The chart of another path or repository, at its own revision. */
  private HelmRenderer.Chart chart(RenderSource source, ChartRef ref) {
    Revision revision = repos.resolve(ref.repoURL(), ref.targetRevision());
    try {
      return new HelmRenderer.Chart(
          repos.tree(ref.repoURL(), revision, ref.path()), ref.repoURL(), revision);
    } catch (TagflowException e) {
      throw TagflowException.invalidInput(
          "the chart of "
              + source.application()
              + " is not at '"
              + ref.path()
              + "' of "
              + ref.repoURL()
              + " at "
              + HelmRenderer.Chart.describe(revision)
              + ": "
              + e.getMessage());
    }
  }

  private static String capabilitiesKey(RenderTarget target) {
    Capabilities capabilities = target.capabilities();
    return Digest.of(
        target.namespace()
            + "\n"
            + capabilities.kubeVersion()
            + "\n"
            + new java.util.TreeSet<>(capabilities.apiVersions())
            + "\n"
            + new java.util.TreeSet<>(
                capabilities.namespacedKinds().stream().map(GroupKind::toString).toList())
            + "\n"
            + new java.util.TreeSet<>(
                capabilities.clusterScopedKinds().stream().map(GroupKind::toString).toList()));
  }

  /** Fresh objects for every caller, so nobody changes what the cache holds. */
  private List<Manifest> copies(List<Manifest> manifests) {
    List<Manifest> copies = new ArrayList<>(manifests.size());
    for (Manifest manifest : manifests) {
      copies.add(
          new Manifest(
              PlainJson.MAPPER.convertValue(manifest.object(), GenericKubernetesResource.class),
              manifest.file(),
              manifest.document(),
              manifest.line(),
              manifest.hook()));
    }
    return copies;
  }

  private static String kindName(SourceKind kind) {
    return switch (kind) {
      case SourceKind.Directory d -> "directory";
      case SourceKind.Helm h -> "helm";
      case SourceKind.Kustomize k -> "kustomize";
      case SourceKind.Detect d -> "detect";
    };
  }

  private Timer timer(String kind, String outcome) {
    return Timer.builder("tagflow.render")
        .description("Time to render one source (cache hits included)")
        .tag("kind", kind)
        .tag("outcome", outcome)
        .register(meters);
  }

  @Override
  public void close() {
    workspace.close();
  }
}
