package dev.tagflow.pipeline.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the expression language by someone who can push a workflow or set what a context holds
 * (an issue title, a step output): each is refused with an ExpressionException, within the limits,
 * and nothing else escapes (no StackOverflowError, no OutOfMemoryError).
 */
class ExpressionLimitsTest {

  private static final ExpressionLimits SMALL =
      new ExpressionLimits(21_000, 50, 10_000, 50_000, 1_000, 20, 100);

  private static Contexts with(String name, Value value) {
    return Contexts.builder().put(name, value).build();
  }

  private static Contexts small(String name, Value value) {
    return Contexts.builder().put(name, value).limits(SMALL).build();
  }

  @Test
  void refusesAnExpressionLongerThanGitHubAllows() {
    String longest = "'" + "a".repeat(20_998) + "'";
    assertThat(Expression.parse(longest).evaluate(Contexts.empty()).asText()).hasSize(20_998);
    assertThatThrownBy(() -> Expression.parse(longest + " "))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("longer than 21000 characters");
  }

  @Test
  void refusesDeepNestingBeforeTheStackRunsOut() {
    String parens = "(".repeat(10_000) + "1" + ")".repeat(10_000);
    assertThatThrownBy(() -> Expression.parse(parens))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("nests deeper than 50 levels");
    assertThatThrownBy(() -> Expression.parse("!".repeat(15_000) + "true"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("nests deeper than 50 levels");
    assertThatThrownBy(() -> Expression.parse("toJSON(".repeat(2_000) + "1" + ")".repeat(2_000)))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("nests deeper than 50 levels");
    assertThatThrownBy(() -> Expression.parse("github" + "[0]".repeat(5_000)))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("nests deeper than 50 levels");
    assertThatThrownBy(() -> Expression.parse("github" + ".a".repeat(60)))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("nests deeper than 50 levels");
    assertThatThrownBy(() -> Expression.parse("1" + " == 1".repeat(3_000)))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("nests deeper than 50 levels");
  }

  @Test
  void readsLongListsOfAlternativesAsOneLevel() {
    String anyOf = String.join(" || ", Collections.nCopies(900, "github.ref == 'x'"));
    assertThat(Expression.parse(anyOf).evaluate(with("github", Value.NULL))).isEqualTo(Value.FALSE);
  }

  @Test
  void refusesFromJsonOfDeepOrHugeText() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(
            () ->
                Expression.parse("fromJSON(github.x)")
                    .evaluate(with("github", object("x", Value.of(deep)))))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("fromJSON");
    String huge = "[" + "1,".repeat(600_000) + "1]";
    assertThatThrownBy(
            () ->
                Expression.parse("fromJSON(github.x)")
                    .evaluate(with("github", object("x", Value.of(huge)))))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("fromJSON");
    String many = "[" + "0,".repeat(2_000) + "0]";
    assertThatThrownBy(
            () ->
                Expression.parse("fromJSON(github.x)")
                    .evaluate(small("github", object("x", Value.of(many)))))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("more than 1000 array elements");
  }

  @Test
  void refusesStringsThatGrowPastTheLimit() {
    Contexts big = with("github", object("x", Value.of("x".repeat(100_000))));
    String eleven = "format('" + "{0}".repeat(11) + "', github.x)";
    assertThatThrownBy(() -> Expression.parse(eleven).evaluate(big))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("format makes a string longer than 1048576 characters");
    List<Value> items = new ArrayList<>(Collections.nCopies(20, Value.of("y")));
    Contexts array =
        with("github", object("list", Value.array(items), "sep", Value.of("s".repeat(60_000))));
    assertThatThrownBy(() -> Expression.parse("join(github.list, github.sep)").evaluate(array))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("join makes a string longer than");
    Contexts wide =
        with(
            "github",
            object("list", Value.array(Collections.nCopies(200_000, Value.of("abcdef")))));
    assertThatThrownBy(() -> Expression.parse("toJSON(github.list)").evaluate(wide))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("toJSON makes a string longer than");
    assertThatThrownBy(() -> Template.parse("${{ github.list }}").render(wide))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("longer than");
  }

  @Test
  void refusesManyStringsThatTogetherPassTheLimitOfOneEvaluation() {
    Contexts big = with("github", object("x", Value.of("x".repeat(900_000))));
    String twenty = String.join(" && ", Collections.nCopies(20, "format('{0}', github.x)"));
    assertThatThrownBy(() -> Expression.parse(twenty).evaluate(big))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("characters of strings in one evaluation");
  }

  @Test
  void refusesToJsonOfAValueNestedTooDeep() {
    Value deep = Value.NULL;
    for (int i = 0; i < 150; i++) {
      deep = Value.array(List.of(deep));
    }
    Contexts contexts = with("github", deep);
    assertThatThrownBy(() -> Expression.parse("toJSON(github)").evaluate(contexts))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("nested deeper than 100 levels");
  }

  @Test
  void refusesObjectFiltersThatMakeTooManyElements() {
    Value row = Value.array(Collections.nCopies(100, Value.of(1)));
    Value table = Value.array(Collections.nCopies(100, row));
    Contexts contexts = small("github", table);
    assertThatThrownBy(() -> Expression.parse("github.*.*").evaluate(contexts))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("more than 1000 array elements");
  }

  @Test
  void refusesATemplateLongerThanOneString() {
    assertThatThrownBy(() -> Template.parse("x".repeat(10_001), SMALL))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("longer than 10000 characters");
  }

  @Test
  void refusesAJacksonTreeNestedDeeperThanAThousandLevels() throws Exception {
    String deep = "[".repeat(1_500) + "]".repeat(1_500);
    var mapper =
        tools.jackson.databind.json.JsonMapper.builder(
                tools.jackson.core.json.JsonFactory.builderWithJackson2Defaults()
                    .streamReadConstraints(
                        tools.jackson.core.StreamReadConstraints.builder()
                            .maxNestingDepth(2_000)
                            .build())
                    .build())
            .configureForJackson2()
            .build();
    var tree = mapper.readTree(deep);
    assertThatThrownBy(() -> Value.fromJson(tree))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("deeper than 1000 levels");
  }

  @Test
  void searchesLongStringsInTimeProportionalToTheirLength() {
    String haystack = "a".repeat(1_000_000) + "b";
    String needle = "a".repeat(500_000) + "b";
    Contexts contexts = with("github", object("h", Value.of(haystack), "n", Value.of(needle)));
    assertThat(Expression.parse("contains(github.h, github.n)").evaluate(contexts))
        .isEqualTo(Value.TRUE);
    assertThat(Glob.matchesName("*a*a*a*a*a*a*a*a*b", "a".repeat(5_000))).isFalse();
  }

  private static Value object(Object... pairs) {
    Map<String, Value> properties = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      properties.put((String) pairs[i], (Value) pairs[i + 1]);
    }
    return Value.object(properties);
  }
}
