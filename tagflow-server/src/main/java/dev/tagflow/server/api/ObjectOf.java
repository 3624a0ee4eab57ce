package dev.tagflow.server.api;

import io.javalin.http.Context;
import java.util.List;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * How a route's permission object is taken from the request, e.g. {@code
 * project/environment/application} from path parameters.
 *
 * @param description how, for the route listing and docs
 */
public record ObjectOf(String description, Function<Context, String> extract) {

  /** The same object for every request, e.g. {@code *} for a list. */
  public static ObjectOf fixed(String object) {
    return new ObjectOf("'" + object + "'", ctx -> object);
  }

  /** Path parameters joined by {@code /}, e.g. {@code {project}/{env}/{app}}. */
  public static ObjectOf pathParams(String... names) {
    List<String> all = List.of(names);
    return new ObjectOf(
        "path " + String.join("/", all.stream().map(n -> "{" + n + "}").toList()),
        ctx -> String.join("/", all.stream().map(ctx::pathParam).toList()));
  }

  /**
   * A string field of the JSON body; empty when the body is not JSON or lacks it (the handler then
   * refuses the body with its own message).
   */
  public static ObjectOf bodyField(String field, ObjectMapper json) {
    return new ObjectOf(
        "body field '" + field + "'",
        ctx -> {
          // Read through Javalin, which keeps the bytes for the handler and answers 413 for a body
          // over the server's limit.
          byte[] body = ctx.bodyAsBytes();
          try {
            JsonNode node = json.readTree(body);
            JsonNode value = node == null ? null : node.get(field);
            return value != null && value.isString() ? value.stringValue() : "";
          } catch (JacksonException notJson) {
            return "";
          }
        });
  }

  public String of(Context ctx) {
    return extract.apply(ctx);
  }

  @Override
  public String toString() {
    return description;
  }
}
