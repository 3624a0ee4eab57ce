package dev.tagflow.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a request body is read and refused, and the answer a refusal makes. */
class RequestBodyTest {

  private static RequestBody read(String body) {
    return RequestBody.read(
        body.getBytes(StandardCharsets.UTF_8),
        "application/json; charset=utf-8",
        Set.of("id", "prune"));
  }

  private static BadRequest refusal(String body) {
    try {
      read(body);
    } catch (BadRequest refused) {
      return refused;
    }
    throw new AssertionError("accepted " + body);
  }

  @Test
  void readsTheKnownFieldsOfAnObject() {
    RequestBody body = read("{\"id\": 3, \"prune\": true}");
    assertThat(body.positive("id")).contains(3L);
    assertThat(body.bool("prune")).contains(true);
    assertThat(RequestBody.read(new byte[0], null, Set.of()).bool("prune")).isEmpty();
    assertThat(read("{\"id\": null}").positive("id")).isEmpty();
  }

  @Test
  void anUnknownFieldIsNamedWithTheKnownOnes() {
    BadRequest refused = refusal("{\"id\": 1, \"ids\": [1]}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body())
        .containsEntry("error", "invalid_request")
        .containsEntry("field", "ids")
        .containsEntry("message", "unknown field 'ids'")
        .containsEntry("fix", "the fields of this body are [id, prune]");
  }

  @Test
  void aLongUnknownFieldNameIsShortenedInTheAnswer() {
    BadRequest refused = refusal("{\"" + "x".repeat(10_000) + "\": 1}");
    assertThat(refused.body().get("field")).hasSizeLessThan(70);
  }

  @Test
  void wrongTypesNameTheFieldAndTheTypeWanted() {
    assertThatThrownBy(() -> read("{\"prune\": 1}").bool("prune"))
        .isInstanceOfSatisfying(
            BadRequest.class,
            e ->
                assertThat(e.body())
                    .containsEntry("field", "prune")
                    .containsEntry("message", "prune is a number, not true or false"));
    assertThatThrownBy(() -> read("{\"id\": 1.5}").positive("id"))
        .isInstanceOfSatisfying(
            BadRequest.class, e -> assertThat(e.body()).containsEntry("field", "id"));
    assertThatThrownBy(() -> read("{\"id\": 0}").positive("id"))
        .isInstanceOfSatisfying(
            BadRequest.class, e -> assertThat(e.getMessage()).isEqualTo("id is 0"));
    assertThatThrownBy(() -> read("{\"id\": 99999999999999999999999}").positive("id"))
        .isInstanceOf(BadRequest.class);
  }

  @Test
  void notAnObjectNotJsonDuplicatesAndDeepNestingAreRefused() {
    assertThat(refusal("[]").getMessage()).isEqualTo("the body is a JSON array, not an object");
    assertThat(refusal("\"text\"").getMessage()).contains("not an object");
    assertThat(refusal("{").getMessage()).startsWith("the body is not valid JSON");
    assertThat(refusal("{\"id\":1,\"id\":2}").getMessage()).contains("Duplicate field 'id'");
    assertThat(refusal("{\"id\":" + "[".repeat(100) + "]".repeat(100) + "}").getMessage())
        .isEqualTo("the body is nested deeper than " + RequestBody.MAX_DEPTH + " levels");
  }

  @Test
  void aBodyThatIsNotJsonIs415() {
    assertThatThrownBy(
            () -> RequestBody.read("id=1".getBytes(StandardCharsets.UTF_8), "text/plain", Set.of()))
        .isInstanceOfSatisfying(
            BadRequest.class,
            e -> {
              assertThat(e.status()).isEqualTo(415);
              assertThat(e.body()).containsEntry("error", "unsupported_media_type");
              assertThat(e.getStackTrace()).isEmpty();
            });
    assertThatThrownBy(() -> RequestBody.read(new byte[] {'{', '}'}, null, Set.of()))
        .isInstanceOf(BadRequest.class);
    assertThat(BadRequest.field("id", "m", "f").body())
        .containsKeys("error", "message", "field", "fix");
    assertThat(new BadRequest(404, "not_found", "m", Optional.empty(), "f").body())
        .doesNotContainKey("field");
  }
}
