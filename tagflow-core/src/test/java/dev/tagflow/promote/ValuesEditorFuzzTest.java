package dev.tagflow.promote;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tagflow.TagflowException;
import dev.tagflow.yaml.YamlLimits;
import java.util.List;

/**
 * The values editor over any text and any value. A crash is an exception other than a {@link
 * TagflowException}, a result whose path does not read back as exactly the value, or an edit of a
 * file that held the path that changed text outside the old scalar's line.
 */
class ValuesEditorFuzzTest {

  private static final List<String> PATHS = List.of("image.tag", "a", "image", "a.b[0].c", "x\\.y");
  private final ValuesEditor editor = new ValuesEditor(YamlLimits.defaults());

  // libFuzzer's dictionary format: a line break is \x0A, a double quote \x22.
  @DictionaryEntries({
    "image:\\x0A  tag: ",
    "tag: ",
    "&a ",
    "*a",
    "<<: ",
    "'",
    "\\x22",
    "{",
    "}",
    "[",
    "]",
    ", ",
    ": ",
    " #",
    "\\x0D\\x0A",
    "|\\x0A",
    "!!str ",
    "---\\x0A",
    "- "
  })
  @FuzzTest
  void settingAValueReadsBackOrIsRefused(FuzzedDataProvider data) {
    YamlPath path = YamlPath.parse(data.pickValue(PATHS));
    String value = data.consumeString(40);
    String text = data.consumeRemainingAsString();
    ValuesEditor.Edited edited;
    try {
      edited = editor.set("values.yaml", text, path, value);
    } catch (TagflowException refused) {
      return;
    }
    assertThat(editor.get("values.yaml", edited.text(), path)).contains(value);
    if (edited.before().isPresent()) {
      // Only the scalar changed: what precedes and follows it is the same text.
      int prefix = 0;
      String after = edited.text();
      while (prefix < Math.min(text.length(), after.length())
          && text.charAt(prefix) == after.charAt(prefix)) {
        prefix++;
      }
      int suffix = 0;
      while (suffix < Math.min(text.length(), after.length()) - prefix
          && text.charAt(text.length() - 1 - suffix) == after.charAt(after.length() - 1 - suffix)) {
        suffix++;
      }
      String removed = text.substring(prefix, text.length() - suffix);
      assertThat(removed.length()).isLessThanOrEqualTo(edited.before().get().length() * 6 + 16);
    }
  }
}
