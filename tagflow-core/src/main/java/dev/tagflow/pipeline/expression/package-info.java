/**
 * GitHub Actions' expression language, so a release workflow's {@code ${{ }}} and {@code if:} mean
 * in Tagflow what they mean on GitHub. The workflow loader ({@code dev.tagflow.pipeline.workflow})
 * parses every expression when it loads a workflow, so a mistake is reported with its column before
 * anything runs; the runner evaluates them as the run goes.
 *
 * <h2>Entry points</h2>
 *
 * <ul>
 *   <li>{@link dev.tagflow.pipeline.expression.Expression}: the inside of one {@code ${{ }}}.
 *       {@link dev.tagflow.pipeline.expression.Expression#contexts()} names the contexts it reads,
 *       for the loader's check of where each context is available.
 *   <li>{@link dev.tagflow.pipeline.expression.Template}: a {@code run:}, {@code with:} or {@code
 *       env:} string with any number of {@code ${{ }}}; {@code render} writes each value in, {@code
 *       evaluate} keeps the value's kind when the string is one {@code ${{ }}} and nothing else.
 *   <li>{@link dev.tagflow.pipeline.expression.Condition}: an {@code if:}, with or without {@code
 *       ${{ }}}; without a status function it is {@code success() && (…)}, as on GitHub.
 *   <li>{@link dev.tagflow.pipeline.expression.Value}: null, boolean, number (a double), string,
 *       array, object, with GitHub's coercions and to and from Jackson trees.
 *   <li>{@link dev.tagflow.pipeline.expression.Contexts}: what an evaluation reads: contexts by
 *       name, the job's status, the workspace for {@code hashFiles}, the limits.
 *   <li>{@link dev.tagflow.pipeline.expression.Place}: GitHub's context availability: which
 *       contexts and special functions each workflow key may use ({@code steps} not in a job's
 *       {@code if:}, {@code hashFiles} only in a step, status functions only in an {@code if:});
 *       {@code Place.JOB_IF.check(condition)} refuses the rest with the column.
 * </ul>
 *
 * <pre>{@code
 * Condition release = Condition.parse("startsWith(github.ref, 'refs/tags/v')");
 * Template run = Template.parse("echo ${{ github.ref_name }} > version");
 * Contexts contexts = Contexts.builder()
 *     .put("github", Value.fromJson(githubJson))
 *     .status(Contexts.Status.SUCCESS)
 *     .workspace(workspace)
 *     .build();
 * if (release.test(contexts)) {
 *   String script = run.render(contexts); // "echo v1.2.3 > version"
 * }
 * }</pre>
 *
 * <h2>The language</h2>
 *
 * <ul>
 *   <li>Literals: {@code null}, {@code true}, {@code false}, numbers ({@code 711}, {@code -9.2},
 *       {@code 0xff}, {@code -2.99e-2}, {@code 0o17}, {@code NaN}, {@code Infinity}), strings in
 *       single quotes with {@code ''} for a quote. Double quotes are an error, as on GitHub.
 *   <li>Contexts: {@code github env vars secrets steps needs matrix job runner inputs strategy};
 *       any other name is an error. A context the caller did not give reads as null; one the place
 *       does not allow is refused by {@link dev.tagflow.pipeline.expression.Place}.
 *   <li>Operators, tightest first: {@code ( )}, {@code [ ]} and {@code .} (with object filters
 *       {@code a.*.b} and {@code a[*]}), {@code !}, {@code < <= > >=}, {@code == !=}, {@code &&},
 *       {@code ||}. {@code &&} and {@code ||} return an operand, not a boolean, so {@code cond &&
 *       'a' || 'b'} is the usual ternary.
 *   <li>Comparison: values of different kinds compare as numbers (null 0, false 0, true 1, a string
 *       its number or NaN, '' 0, arrays and objects NaN); strings ignoring case; NaN equals
 *       nothing; an array or object equals only itself.
 *   <li>Truthiness: {@code false 0 -0 NaN '' null} are false, everything else (every array and
 *       object) true.
 *   <li>Property names and function names ignore case ({@code github.REF}, {@code toJson}).
 *   <li>Functions: {@code contains startsWith endsWith format join toJSON fromJSON hashFiles} and
 *       {@code success failure always cancelled}. An unknown function or a wrong number of
 *       arguments is a parse error; so is a literal {@code format} string with a bad brace or an
 *       argument it does not have.
 *   <li>Numbers are written into strings with up to 15 significant digits, as GitHub does ({@code
 *       3}, {@code 0.5}, {@code 1E+15}).
 * </ul>
 *
 * <h2>Where Tagflow differs from GitHub, on purpose</h2>
 *
 * <ul>
 *   <li>An array or object written into a string ({@code ${{ github.event }}} in a {@code run:}, or
 *       given to {@code format} or {@code join}) is its JSON, as {@code toJSON} writes it; GitHub
 *       writes the words {@code Array} and {@code Object}, which no workflow wants.
 *   <li>An {@code if:} that mixes {@code ${{ }}} with text outside it is refused: GitHub reads it
 *       as a non-empty string, always true.
 *   <li>{@code hashFiles} hashes the matched files in the order of their paths, refuses a pattern
 *       that leaves the workspace ({@code ../}, an absolute path elsewhere, {@code ~}) and a file
 *       or followed directory link whose real path is outside it; GitHub skips the one and reads
 *       through the other.
 *   <li>Not supported: {@code case()} and the contexts of reusable workflows ({@code jobs}).
 * </ul>
 *
 * <h2>Limits</h2>
 *
 * <p>{@link dev.tagflow.pipeline.expression.ExpressionLimits#defaults()} bounds what a workflow
 * someone pushed may cost: 21,000 characters and 50 levels of nesting per expression (GitHub's own
 * bounds), 1 MiB per string made and 16 MiB of strings per evaluation ({@code format}, {@code
 * join}, {@code toJSON}, a rendered template), a million array elements per evaluation (object
 * filters, {@code fromJSON}), 100 levels of JSON nesting, 100,000 files per {@code hashFiles}. Past
 * a limit an evaluation fails with an {@link dev.tagflow.pipeline.expression.ExpressionException};
 * nothing but that exception leaves this package, whatever the text or the contexts hold (the fuzz
 * test {@code ExpressionFuzzTest} checks it).
 */
package dev.tagflow.pipeline.expression;
