package dev.tagflow;

import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper with Jackson 2's defaults, for what was a plain {@code new ObjectMapper()}. */
public final class PlainJson {

  // One instance for everyone: a Jackson 3 mapper cannot be changed once built (no configure() or
  // registerModule()), so it is thread-safe and sharing it changes nothing for its users.
  public static final JsonMapper MAPPER = JsonMapper.builderWithJackson2Defaults().build();

  private PlainJson() {}
}
