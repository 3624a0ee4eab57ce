package dev.tagflow.pipeline.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GitHub's "Filter pattern cheat sheet" (workflow syntax), row by row, with the names each row says
 * match and names it must not; then the rules the cheat sheet states in prose.
 */
class RefPatternTest {

  @ParameterizedTest(name = "{0} matches {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # The table "Patterns to match branches and tags", every example match.
          feature/*                 | feature/my-branch
          feature/*                 | feature/your-branch
          feature/**                | feature/beta-a/my-branch
          feature/**                | feature/your-branch
          feature/**                | feature/mona/the/octocat
          main                      | main
          releases/mona-the-octocat | releases/mona-the-octocat
          *                         | main
          *                         | releases
          **                        | all/the/branches
          **                        | every/tag
          *feature                  | mona-feature
          *feature                  | feature
          *feature                  | ver-10-feature
          v2*                       | v2
          v2*                       | v2.0
          v2*                       | v2.9
          v[12].[0-9]+.[0-9]+       | v1.10.1
          v[12].[0-9]+.[0-9]+       | v2.0.0
          # The special characters, as the cheat sheet defines them.
          Octo*                     | Octocat
          [CB]at                    | Cat
          [CB]at                    | Bat
          [1-2]00                   | 100
          [1-2]00                   | 200
          [0-9a-z]                  | 7
          [0-9a-z]                  | q
          v1.jsx?                   | v1.js
          v1.jsx?                   | v1.jsx
          v1+                       | v1
          v1+                       | v111
          # The cheat sheet's path examples hold for names too: **/ is whole directories, or none.
          '**.js'                   | src/js/app.js
          '**.js'                   | index.js
          docs/**/*.md              | docs/mona/hello-world.md
          docs/**/*.md              | docs/README.md
          docs/**/*.md              | docs/a/markdown/file.md
          '**/docs/**'              | docs/hello.md
          '**/docs/**'              | dir/docs/my-file.txt
          '**/docs/**'              | space/docs/plan/space.doc
          '**/README.md'            | README.md
          '**/README.md'            | js/README.md
          '**/*src/**'              | a/src/app.js
          '**/*src/**'              | my-src/code/js/app.js
          '**/*-post.md'            | my-post.md
          '**/*-post.md'            | path/their-post.md
          '**/migrate-*.sql'        | migrate-10909.sql
          '**/migrate-*.sql'        | db/migrate-v1.0.sql
          '**/migrate-*.sql'        | db/sept/migrate-v1.sql
          '*.jsx?'                  | page.js
          '*.jsx?'                  | page.jsx
          # Escapes make a special character plain; a leading ? or + is plain.
          \\*release                | *release
          v1\\.0                    | v1.0
          ?x                        | ?x
          +x                        | +x
          # Quantifiers after a wildcard fold into it.
          v*+                       | v1.2
          v**?                      | v1/2
          """)
  void matchesWhatTheCheatSheetSays(String pattern, String name) throws Exception {
    assertThat(RefPattern.parse(pattern).matches(name)).isTrue();
  }

  @ParameterizedTest(name = "{0} does not match {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          feature/*                 | feature/beta-a/my-branch
          feature/*                 | feature
          main                      | mainline
          main                      | release/main
          releases/mona-the-octocat | releases/mona
          *                         | all/the/branches
          *feature                  | feature/x
          v2*                       | v3
          v2*                       | release/v2
          v[12].[0-9]+.[0-9]+       | v3.0.0
          v[12].[0-9]+.[0-9]+       | v1.x.1
          v[12].[0-9]+.[0-9]+       | v1.2.3-rc.1
          v[12].[0-9]+.[0-9]+       | v1..3
          [CB]at                    | Rat
          [CB]at                    | cat
          v1.jsx?                   | v1.jsxx
          v1+                       | v
          v1\\.0                    | v1x0
          v*                        | V1
          '**/README.md'            | xREADME.md
          '**/README.md'            | js/xREADME.md
          docs/**/*.md              | docs.md
          """)
  void doesNotMatchBeyondTheCheatSheet(String pattern, String name) throws Exception {
    assertThat(RefPattern.parse(pattern).matches(name)).isFalse();
  }

  @ParameterizedTest(name = "{0} is refused: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          v[0-9                | 1 | has '[' without a closing ']'
          v[]                  | 1 | has empty brackets '[]'
          v[._-]               | 2 | has '.' in brackets
          v[a-Z]               | 2 | has the range a-Z
          v[9-0]               | 2 | has the range 9-0
          v1\\                 | 2 | ends with '\\', which escapes nothing
          !                    | 1 | '!' negates nothing
          """)
  void refusesWhatGithubRefuses(String pattern, int offset, String message) {
    assertThatThrownBy(() -> RefPattern.parse(pattern))
        .isInstanceOf(RefPattern.Invalid.class)
        .hasMessageStartingWith(message)
        .extracting(e -> ((RefPattern.Invalid) e).offset())
        .isEqualTo(offset);
  }

  @ParameterizedTest(name = "{0}: {1} runs = {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # GitHub's example: releases/** then !releases/**-alpha.
          releases/**,!releases/**-alpha              | releases/10          | true
          releases/**,!releases/**-alpha              | releases/beta/mona   | true
          releases/**,!releases/**-alpha              | releases/10-alpha    | false
          releases/**,!releases/**-alpha              | releases/beta/3-alpha | false
          # A positive pattern after a negative match includes the ref again.
          v*,!v*-rc*,v2*-rc*                          | v1.0.0-rc.1          | false
          v*,!v*-rc*,v2*-rc*                          | v2.0.0-rc.1          | true
          v*,!v*-rc*,v2*-rc*                          | v1.0.0               | true
          # Order matters: a negative before the positive takes nothing back.
          !v1*,v*                                     | v1.0.0               | true
          """)
  void includeListsDecideByTheLastMatchingPattern(String patterns, String name, boolean runs)
      throws Exception {
    assertThat(new RefFilter.Include(parse(patterns)).admits(name)).isEqualTo(runs);
  }

  @ParameterizedTest(name = "ignore {0}: {1} runs = {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # GitHub's example of branches-ignore and tags-ignore.
          mona/octocat,releases/**-alpha | mona/octocat          | false
          mona/octocat,releases/**-alpha | releases/beta/3-alpha | false
          mona/octocat,releases/**-alpha | releases/beta/3       | true
          v2,v1.*                        | v2                    | false
          v2,v1.*                        | v1.9                  | false
          v2,v1.*                        | v2.0                  | true
          v2,v1.*                        | v10                   | true
          # A '!' after an ignoring pattern takes that name back.
          v*,!v1.2.3                     | v1.2.3                | true
          v*,!v1.2.3                     | v1.2.4                | false
          """)
  void ignoreListsIgnoreByTheLastMatchingPattern(String patterns, String name, boolean runs)
      throws Exception {
    assertThat(new RefFilter.Ignore(parse(patterns)).admits(name)).isEqualTo(runs);
  }

  @org.junit.jupiter.api.Test
  void aPatternMadeToBacktrackStillAnswersInOnePassOverTheName() throws Exception {
    // A regex engine that backtracks takes exponential time on this pair; the automaton reads
    // each character once per atom.
    RefPattern pattern = RefPattern.parse("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
    String name = "a".repeat(5000);

    assertThat(pattern.matches(name)).isFalse();
    assertThat(pattern.matches(name + "b")).isTrue();
  }

  @org.junit.jupiter.api.Test
  void aPatternLongerThanTheLimitIsRefused() {
    assertThatThrownBy(() -> RefPattern.parse("v" + "*".repeat(RefPattern.MAX_LENGTH)))
        .hasMessage("is longer than 1024 characters");
  }

  private static List<RefPattern> parse(String patterns) throws RefPattern.Invalid {
    List<RefPattern> out = new java.util.ArrayList<>();
    for (String p : patterns.split(",")) {
      out.add(RefPattern.parse(p));
    }
    return out;
  }
}
