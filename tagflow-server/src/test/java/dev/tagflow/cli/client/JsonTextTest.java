package dev.tagflow.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagflow.PlainJson;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client's JSON reader and writer: what the API answers, and hostile text, refused. */
class JsonTextTest {

  @Test
  void readsTheApisAnswersIntoMapsListsAndValues() {
    Object value =
        JsonText.parse(
            " {\"items\": [{\"name\": \"web\", \"n\": 3, \"big\": 12345678901234567890,"
                + " \"f\": -1.5e3, \"ok\": true, \"no\": false, \"none\": null}], \"next\": null,"
                + " \"text\": \"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\"} ");
    Map<?, ?> map = (Map<?, ?>) value;
    Map<?, ?> item = (Map<?, ?>) ((List<?>) map.get("items")).get(0);
    assertThat(item.get("name")).isEqualTo("web");
    assertThat(item.get("n")).isEqualTo(3L);
    assertThat(item.get("big")).isEqualTo(new BigDecimal("12345678901234567890"));
    assertThat(item.get("f")).isEqualTo(new BigDecimal("-1.5e3"));
    assertThat(item.get("ok")).isEqualTo(true);
    assertThat(item.containsKey("none")).isTrue();
    assertThat(map.get("text")).isEqualTo("a\"b\\c/d\né😀");
  }

  @Test
  void writesWhatJacksonReadsBackAsTheSameValue() throws Exception {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("name", "we\"b\n\t\u0001é");
    value.put("list", List.of(1L, true, "x", List.of(), Map.of()));
    value.put("none", null);
    String text = JsonText.write(value);
    assertThat(PlainJson.MAPPER.readValue(text, Map.class))
        .isEqualTo(
            PlainJson.MAPPER.readValue(PlainJson.MAPPER.writeValueAsString(value), Map.class));
    assertThat(JsonText.parse(text)).isEqualTo(value);
  }

  @Test
  void refusesTextThatIsNotJsonSayingWhere() {
    for (String bad :
        List.of(
            "",
            "{",
            "{\"a\":}",
            "{\"a\":1,}",
            "[1 2]",
            "{'a':1}",
            "\"open",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\uzzzz\"",
            "01",
            "1.",
            "-",
            "1e",
            "tru",
            "nul",
            "{\"a\":1} x",
            "\"a\tb\"",
            "<html>502</html>")) {
      assertThatThrownBy(() -> JsonText.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("not valid JSON at character ");
    }
  }

  @Test
  void refusesNestingDeeperThanItsLimitWithoutOverflowingTheStack() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThatThrownBy(() -> JsonText.parse(deep)).hasMessageContaining("nested deeper than 64");
    String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    assertThatThrownBy(() -> JsonText.parse(objects)).hasMessageContaining("nested deeper");
    assertThat(JsonText.parse("[".repeat(60) + "]".repeat(60))).isInstanceOf(List.class);
  }

  @Test
  void readsALongAnswerInLinearTime() {
    StringBuilder text = new StringBuilder("{\"items\":[");
    for (int i = 0; i < 20_000; i++) {
      text.append(i == 0 ? "" : ",").append("{\"name\":\"app-").append(i).append("\"}");
    }
    text.append("]}");
    assertThat(((List<?>) ((Map<?, ?>) JsonText.parse(text.toString())).get("items")))
        .hasSize(20_000);
  }
}
