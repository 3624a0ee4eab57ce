package dev.tagflow.server.git;

import dev.tagflow.JacksonMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The body of {@code POST /api/repos}, checked field by field: a body that is not a JSON object, a
 * missing or blank name, a field of the wrong type or an unknown field is refused with a message
 * naming it.
 *
 * @param name the repository's name (checked by {@link HostedRepositories} when it is created)
 * @param anonymousRead whether anyone may clone and fetch without a token; false when absent
 */
record CreateRequest(String name, boolean anonymousRead) {

  private static final Set<String> FIELDS = Set.of("name", "anonymousRead");

  /** Why a body was refused, and how to write it instead. */
  static final class Invalid extends Exception {
    private static final String EXAMPLE = "send {\"name\": \"environments\"}";

    Invalid(String message) {
      super(message, null, false, false);
    }

    String fix() {
      return EXAMPLE + ", optionally with \"anonymousRead\": true";
    }
  }

  static CreateRequest parse(byte[] body, ObjectMapper json) throws Invalid {
    JsonNode node;
    try {
      node = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
    } catch (JacksonException e) {
      // A limit (nesting, length) is reported without a location.
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw new Invalid("the body is not JSON" + where + ": " + JacksonMessages.of(e));
    }
    if (node == null || node.isMissingNode()) {
      throw new Invalid("the body is empty");
    }
    if (!node.isObject()) {
      throw new Invalid("the body must be a JSON object, not " + node.getNodeType().name());
    }
    List<String> unknown = new ArrayList<>();
    node.propertyNames()
        .forEach(
            field -> {
              if (!FIELDS.contains(field)) {
                unknown.add(field);
              }
            });
    if (!unknown.isEmpty()) {
      throw new Invalid(
          "unknown field"
              + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", unknown)
              + " (known: name, anonymousRead)");
    }
    JsonNode name = node.path("name");
    if (!name.isString() || name.stringValue().isBlank()) {
      throw new Invalid("the field 'name' is required and must be a non-empty string");
    }
    JsonNode anonymous = node.path("anonymousRead");
    if (!anonymous.isMissingNode() && !anonymous.isNull() && !anonymous.isBoolean()) {
      throw new Invalid("the field 'anonymousRead' must be true or false");
    }
    return new CreateRequest(name.stringValue(), anonymous.asBoolean(false));
  }
}
