package dev.tagflow.cli;

import dev.tagflow.PlainJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Requests made from one operation of an OpenAPI document: path and query parameters and JSON
 * bodies from its schemas, valid or broken on purpose in one way ({@link Kind}), each drawn from a
 * seeded {@link Random} so that a seed and a case number give the same request again.
 */
final class ApiRequests {

  /** What a request tries. */
  enum Kind {
    VALID,
    WRONG_TYPE,
    MISSING_REQUIRED,
    UNKNOWN_FIELD,
    HUGE_STRING,
    DEEP_NESTING,
    ODD_UNICODE,
    INVALID_UTF8,
    NOT_AN_OBJECT,
    DUPLICATE_FIELD,
    EMPTY_BODY,
    WRONG_CONTENT_TYPE,
    ODD_PATH,
    ODD_QUERY,
  }

  /**
   * One request: method, path with its query (already encoded), content type and body (none when
   * null).
   */
  record Request(String method, String target, String contentType, byte[] body, Kind kind) {}

  /** One operation of the document. */
  record Operation(String method, String path, JsonNode operation) {

    Optional<JsonNode> bodySchema() {
      JsonNode schema =
          operation.path("requestBody").path("content").path("application/json").path("schema");
      return schema.isMissingNode() ? Optional.empty() : Optional.of(schema);
    }

    List<String> parameters(String in) {
      List<String> names = new ArrayList<>();
      for (JsonNode parameter : operation.path("parameters")) {
        if (parameter.path("in").asText().equals(in)) {
          names.add(parameter.path("name").asText());
        }
      }
      return names;
    }

    String key() {
      return method + " " + path;
    }
  }

  /** Strings people do not expect: combining marks, right-to-left, emoji, NUL, a lone surrogate. */
  static final List<String> ODD_TEXT =
      List.of(
          "e\u0301",
          "\u202Eevil",
          "\uD83D\uDE80",
          "\u0000",
          "\uD800",
          "\uFEFF",
          "\u00e9t\u00e9",
          "ℌ𝔢𝔩𝔩𝔬",
          " ",
          "",
          "../../etc/passwd",
          "%2e%2e%2f",
          "<script>",
          "'; drop table runs; --",
          "\r\nX-Injected: 1");

  /**
   * Raw path segments, sent as they are (not encoded again): encodings a path parser must bear. A
   * lone {@code %} is left out: the JDK's client refuses to send it.
   */
  static final List<String> ODD_SEGMENTS =
      List.of(
          "%2e%2e",
          "%2F",
          "%00",
          "%FF",
          "%C0%AF",
          "%E2%80%AE",
          "%F0%9F%9A%80",
          "a%20b",
          "..",
          "a".repeat(300),
          "x".repeat(5000));

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectMapper json = PlainJson.MAPPER;
  private final ObjectMapper escaping =
      JsonMapper.builderWithJackson2Defaults().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private final Map<String, List<String>> known;

  /**
   * @param known values that name real objects, per path or body field name ({@code id}, {@code
   *     user}, …), so that some requests reach past the "not found"
   */
  ApiRequests(Map<String, List<String>> known) {
    this.known = known;
  }

  /** The request of case {@code kind} for {@code operation}, drawn from {@code random}. */
  Request request(Operation operation, Kind kind, Random random) {
    String path = path(operation, kind == Kind.ODD_PATH, random);
    String query = query(operation, kind == Kind.ODD_QUERY, random);
    String target = query.isEmpty() ? path : path + "?" + query;
    Optional<JsonNode> schema = operation.bodySchema();
    if (schema.isEmpty()) {
      // No body declared: most requests send none, a broken one sends one anyway.
      if (kind == Kind.VALID || kind == Kind.ODD_PATH || kind == Kind.ODD_QUERY) {
        return new Request(operation.method(), target, null, null, kind);
      }
      return new Request(operation.method(), target, "application/json", utf8("{\"x\":1}"), kind);
    }
    JsonNode valid = value(schema.get(), random, 0);
    return switch (kind) {
      case VALID, ODD_PATH, ODD_QUERY -> json(operation, target, valid, kind);
      case WRONG_TYPE ->
          json(
              operation,
              target,
              withField(valid, schema.get(), random, ApiRequests::wrongType),
              kind);
      case MISSING_REQUIRED ->
          json(operation, target, withoutRequired(valid, schema.get(), random), kind);
      case UNKNOWN_FIELD -> {
        ObjectNode more = objectOf(valid);
        more.put("unknown" + random.nextInt(1000), random.nextBoolean());
        yield json(operation, target, more, kind);
      }
      // 16 KiB to 512 KiB: under the server's 1 MiB limit, so the route reads it. A body over the
      // limit is answered 413 before it is read, and the JDK's client, still sending, can lose
      // that answer to the connection's reset; ApiRefusalsTest checks the 413 on its own.
      case HUGE_STRING ->
          json(
              operation,
              target,
              withField(
                  valid,
                  schema.get(),
                  random,
                  r -> NODES.textNode("h".repeat(1 << (14 + r.nextInt(6))))),
              kind);
      case DEEP_NESTING -> {
        int depth = 10 + random.nextInt(5000);
        String field = someField(schema.get(), random).orElse("deep");
        String deep = "[".repeat(depth) + "]".repeat(depth);
        yield raw(
            operation, target, "application/json", utf8("{\"" + field + "\":" + deep + "}"), kind);
      }
      case ODD_UNICODE ->
          json(
              operation,
              target,
              withField(
                  valid,
                  schema.get(),
                  random,
                  r -> NODES.textNode(pick(ODD_TEXT, r) + pick(ODD_TEXT, r))),
              kind);
      case INVALID_UTF8 -> {
        byte[] text = utf8("{\"name\":\"ab\"}");
        text[10] = (byte) (0x80 + random.nextInt(0x7f));
        yield raw(operation, target, "application/json", text, kind);
      }
      case NOT_AN_OBJECT ->
          raw(
              operation,
              target,
              "application/json",
              utf8(
                  pick(
                      List.of("null", "[]", "1", "\"x\"", "{", "{\"a\":}", "true", "{}{}"),
                      random)),
              kind);
      case DUPLICATE_FIELD -> {
        String field = someField(schema.get(), random).orElse("a");
        yield raw(
            operation,
            target,
            "application/json",
            utf8("{\"" + field + "\":\"a\",\"" + field + "\":\"b\"}"),
            kind);
      }
      case EMPTY_BODY ->
          raw(
              operation,
              target,
              random.nextBoolean() ? "application/json" : null,
              new byte[0],
              kind);
      case WRONG_CONTENT_TYPE ->
          raw(
              operation,
              target,
              pick(
                  List.of(
                      "text/plain",
                      "application/xml",
                      "application/x-www-form-urlencoded",
                      "multipart/form-data; boundary=x",
                      "application/jsonx",
                      "*/*"),
                  random),
              utf8(text(json, valid)),
              kind);
    };
  }

  private Request json(Operation operation, String target, JsonNode body, Kind kind) {
    // Odd text goes half the time as ASCII escapes of JSON, which is how a lone surrogate can be
    // sent at all.
    ObjectMapper writer =
        kind == Kind.ODD_UNICODE && Math.floorMod(body.hashCode(), 2) == 0 ? escaping : json;
    return raw(operation, target, "application/json", utf8(text(writer, body)), kind);
  }

  private static String text(ObjectMapper writer, JsonNode body) {
    try {
      return writer.writeValueAsString(body);
    } catch (JacksonException e) {
      throw new IllegalStateException("a tree always writes", e);
    }
  }

  private static Request raw(
      Operation operation, String target, String type, byte[] body, Kind kind) {
    return new Request(operation.method(), target, type, body, kind);
  }

  private String path(Operation operation, boolean odd, Random random) {
    List<String> names = operation.parameters("path");
    String oddName = names.isEmpty() ? "" : pick(names, random);
    StringBuilder path = new StringBuilder();
    int at = 0;
    String template = operation.path();
    while (true) {
      int open = template.indexOf('{', at);
      if (open < 0) {
        path.append(template, at, template.length());
        return path.toString();
      }
      int close = template.indexOf('}', open);
      path.append(template, at, open);
      String name = template.substring(open + 1, close);
      if (odd && name.equals(oddName)) {
        path.append(pick(ODD_SEGMENTS, random));
      } else {
        String value = encode(pathValue(name, random));
        // An empty last segment is the path of another route (the list: /runs/ is /runs).
        path.append(value.isEmpty() && close == template.length() - 1 ? "%20" : value);
      }
      at = close + 1;
    }
  }

  private String pathValue(String name, Random random) {
    List<String> values = known.getOrDefault(name, List.of());
    if (!values.isEmpty() && random.nextInt(4) != 0) {
      return pick(values, random);
    }
    return switch (random.nextInt(4)) {
      case 0 -> Integer.toString(random.nextInt(100_000));
      case 1 -> "fuzz-" + Integer.toString(random.nextInt(1 << 20), 36);
      case 2 -> "f" + random.nextInt(10) + "." + random.nextInt(10) + "@x";
      default -> pick(ODD_TEXT, random);
    };
  }

  private String query(Operation operation, boolean odd, Random random) {
    List<String> parts = new ArrayList<>();
    for (String name : operation.parameters("query")) {
      if (random.nextBoolean()) {
        continue;
      }
      String value;
      if (odd) {
        value =
            pick(
                List.of(
                    "-1",
                    "0",
                    "abc",
                    "1e3",
                    "99999999999999999999",
                    "",
                    "x".repeat(10_000),
                    pick(ODD_TEXT, random)),
                random);
      } else {
        value =
            pick(
                List.of("1", "10", "50", "shop", "production", "Synced", "Healthy", "git/fuzz"),
                random);
      }
      parts.add(encode(name) + "=" + encode(value));
      if (odd && random.nextInt(3) == 0) {
        parts.add(encode(name) + "=" + encode(value + "2"));
      }
    }
    if (odd && random.nextBoolean()) {
      parts.add(pick(List.of("undeclared=1", "%FF=%FF", "a%5Bb%5D=c", "=", "&&"), random));
    }
    return String.join("&", parts);
  }

  /** A value valid for {@code schema}, as far as this generator reads schemas. */
  JsonNode value(JsonNode schema, Random random, int depth) {
    if (schema.has("enum")) {
      return schema.path("enum").get(random.nextInt(schema.path("enum").size()));
    }
    String type = type(schema, random);
    return switch (type) {
      case "object" -> {
        ObjectNode object = NODES.objectNode();
        List<String> required = texts(schema.path("required"));
        for (Iterator<Map.Entry<String, JsonNode>> fields =
                schema.path("properties").properties().iterator();
            fields.hasNext(); ) {
          Map.Entry<String, JsonNode> field = fields.next();
          if (required.contains(field.getKey()) || random.nextBoolean()) {
            object.set(field.getKey(), fieldValue(field.getKey(), field.getValue(), random, depth));
          }
        }
        JsonNode extra = schema.path("additionalProperties");
        if (extra.isObject() && depth < 3) {
          for (int i = random.nextInt(3); i > 0; i--) {
            object.set("k" + random.nextInt(100), value(extra, random, depth + 1));
          }
        }
        yield object;
      }
      case "array" -> {
        ArrayNode array = NODES.arrayNode();
        for (int i = depth < 3 ? random.nextInt(3) : 0; i > 0; i--) {
          array.add(value(schema.path("items"), random, depth + 1));
        }
        yield array;
      }
      case "boolean" -> NODES.booleanNode(random.nextBoolean());
      case "integer" -> NODES.numberNode(schema.path("minimum").asLong(0) + random.nextInt(100));
      case "number" -> NODES.numberNode(random.nextDouble() * 100);
      case "null" -> NODES.nullNode();
      default -> NODES.textNode(text(schema, random));
    };
  }

  private JsonNode fieldValue(String name, JsonNode schema, Random random, int depth) {
    List<String> values = known.getOrDefault(name, List.of());
    if (!values.isEmpty() && type(schema, random).equals("string") && random.nextInt(3) != 0) {
      return NODES.textNode(pick(values, random));
    }
    return value(schema, random, depth + 1);
  }

  private static String text(JsonNode schema, Random random) {
    int min = schema.path("minLength").asInt(0);
    int max = schema.path("maxLength").asInt(Math.max(min, 40));
    int length = Math.max(min, Math.min(max, 1 + random.nextInt(24)));
    StringBuilder text = new StringBuilder();
    String letters = "abcdefghijklmnopqrstuvwxyz0123456789-";
    for (int i = 0; i < length; i++) {
      text.append(letters.charAt(random.nextInt(i == 0 ? 26 : letters.length())));
    }
    return text.toString();
  }

  private static String type(JsonNode schema, Random random) {
    JsonNode type = schema.path("type");
    if (type.isArray()) {
      return type.get(random.nextInt(type.size())).asText();
    }
    return type.isTextual() ? type.asText() : "string";
  }

  /** The valid body with one of its fields (or a new one) set to what {@code make} gives. */
  private static JsonNode withField(
      JsonNode valid,
      JsonNode schema,
      Random random,
      java.util.function.Function<Random, JsonNode> make) {
    ObjectNode body = objectOf(valid);
    body.set(someField(schema, random).orElse("name"), make.apply(random));
    return body;
  }

  /** A value of some type, most often not the field's (a string among them, for the others). */
  private static JsonNode wrongType(Random random) {
    List<JsonNode> others =
        List.of(
            NODES.numberNode(42),
            NODES.textNode("42"),
            NODES.booleanNode(true),
            NODES.arrayNode().add(1),
            NODES.objectNode().put("a", 1),
            NODES.numberNode(1.5),
            NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890")));
    return pick(others, random);
  }

  private static JsonNode withoutRequired(JsonNode valid, JsonNode schema, Random random) {
    ObjectNode body = objectOf(valid);
    List<String> required = texts(schema.path("required"));
    if (!required.isEmpty()) {
      body.remove(pick(required, random));
    } else {
      body.removeAll();
    }
    return body;
  }

  private static Optional<String> someField(JsonNode schema, Random random) {
    List<String> names = new ArrayList<>();
    schema.path("properties").propertyNames().forEach(names::add);
    return names.isEmpty() ? Optional.empty() : Optional.of(pick(names, random));
  }

  private static ObjectNode objectOf(JsonNode valid) {
    return valid instanceof ObjectNode object ? object.deepCopy() : NODES.objectNode();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }

  static <T> T pick(List<T> from, Random random) {
    return from.get(random.nextInt(from.size()));
  }

  /** Percent-encodes a path segment or query part (a space as %20, every non-ASCII byte). */
  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The operations of a document, in its order. */
  static List<Operation> operations(JsonNode document) {
    List<Operation> operations = new ArrayList<>();
    Map<String, JsonNode> paths = new LinkedHashMap<>();
    document.path("paths").properties().forEach(e -> paths.put(e.getKey(), e.getValue()));
    paths.forEach(
        (path, item) ->
            item.properties()
                .forEach(
                    e ->
                        operations.add(
                            new Operation(e.getKey().toUpperCase(), path, e.getValue()))));
    return operations;
  }
}
