package dev.tagflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@link JacksonMessages} words JSON errors as Jackson 2.23 did (its messages, measured). */
class JacksonMessagesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"a\":1,\"a\":2}  | Duplicate field 'a'",
        "{a:1}            | Unexpected character ('a' (code 97)): was expecting double-quote to start"
            + " field name",
        "{\"a\" 1}        | Unexpected character ('1' (code 49)): was expecting a colon to separate"
            + " field name and value",
        "[1 2]            | Unexpected character ('2' (code 50)): was expecting comma to separate"
            + " Array entries",
      })
  void wordsAnErrorAsJackson2Did(String json, String message) {
    JacksonException e =
        catchThrowableOfType(
            JacksonException.class,
            () ->
                JsonMapper.builderWithJackson2Defaults()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build()
                    .readTree(json));

    assertThat(JacksonMessages.of(e)).isEqualTo(message);
  }
}
