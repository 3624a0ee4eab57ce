package dev.tagflow.server.config;

import dev.tagflow.UrlRedaction;
import dev.tagflow.app.Suggestion;
import dev.tagflow.server.config.NotificationWebhook.Format;
import dev.tagflow.server.config.NotificationWebhook.SecretSource;
import dev.tagflow.server.config.NotificationWebhook.Trigger;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a project's {@code notifications:}: each webhook's name, URL, format, events and where its
 * signing key is, each mistake placed at its line.
 */
final class NotificationReader {

  private static final List<String> KEYS = List.of("name", "url", "format", "on", "secret");
  private static final List<String> SECRET_KEYS = List.of("file", "env");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final SettingsProblems problems;
  private final SettingsPaths paths;

  NotificationReader(SettingsProblems problems, SettingsPaths paths) {
    this.problems = problems;
    this.paths = paths;
  }

  List<NotificationWebhook> webhooks(YamlFields project) {
    List<NotificationWebhook> out = new ArrayList<>();
    Map<String, Integer> lines = new HashMap<>();
    for (YamlFields w : project.mappings("notifications")) {
      Optional<String> name = w.requiredString("name", "team-chat");
      name.filter(n -> !ServerSettingsReader.NAME.matcher(n).matches())
          .ifPresent(
              n ->
                  problems.add(
                      w.valueMark("name"),
                      w.child("name")
                          + " '"
                          + n
                          + "' must be letters, digits, '.', '_' and '-', starting with a letter"
                          + " or digit"));
      Optional<URI> url =
          w.requiredString("url", "https://hooks.example.com/tagflow").flatMap(u -> url(w, u));
      Optional<Format> format =
          w.string("format").map(f -> format(w, f)).orElse(Optional.of(Format.GENERIC));
      Set<Trigger> on = w.value("on").map(n -> triggers(w, n)).orElse(EnumSet.allOf(Trigger.class));
      Optional<SecretSource> secret = w.mapping("secret").flatMap(this::secret);
      if (!w.has("secret") && format.orElse(null) == Format.GENERIC) {
        problems.add(
            w.start(),
            "missing "
                + w.child("secret")
                + ": a generic webhook's body is signed so its receiver can trust it; give"
                + " secret: {file: <file holding the key>} or secret: {env: <VARIABLE>}");
      }
      w.finish(KEYS);
      if (name.isEmpty()) {
        continue;
      }
      // Registered whatever else is wrong with it, so a second of the name is named too.
      Integer first = lines.putIfAbsent(name.get(), w.start().getLine() + 1);
      if (url.isEmpty() || format.isEmpty()) {
        continue;
      }
      if (first != null) {
        problems.add(
            w.valueMark("name"),
            "a second webhook named '"
                + name.get()
                + "' in this project (the first is at line "
                + first
                + "); give each its own name");
        continue;
      }
      out.add(new NotificationWebhook(name.get(), url.get(), format.get(), on, secret));
    }
    return out;
  }

  private Optional<URI> url(YamlFields w, String text) {
    String written = text.strip();
    if (UrlRedaction.hasCredentials(written)) {
      problems.add(
          w.valueMark("url"),
          w.child("url")
              + " must not hold credentials (before its '@'): write "
              + UrlRedaction.redact(written)
              + " and let the receiver check the signature instead");
      return Optional.empty();
    }
    try {
      URI uri = new URI(written);
      if (uri.getScheme() == null
          || !List.of("http", "https").contains(uri.getScheme())
          || uri.getHost() == null
          || uri.getFragment() != null) {
        problems.add(
            w.valueMark("url"),
            w.child("url")
                + " must be an http or https URL with a host (e.g. https://hooks.example.com/tagflow)");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      problems.add(w.valueMark("url"), w.child("url") + " is not a URL: " + e.getReason());
      return Optional.empty();
    }
  }

  private Optional<Format> format(YamlFields w, String text) {
    for (Format format : Format.values()) {
      if (format.word().equals(text.strip())) {
        return Optional.of(format);
      }
    }
    problems.add(
        w.valueMark("format"),
        w.child("format") + " '" + text + "' is not a format; write generic or slack");
    return Optional.empty();
  }

  private Set<Trigger> triggers(YamlFields w, Node node) {
    Set<Trigger> out = EnumSet.noneOf(Trigger.class);
    if (!(node instanceof SequenceNode list)) {
      problems.add(
          node.getStartMark(),
          w.child("on")
              + " must be a list of events, e.g. [sync-failed, health-degraded], not "
              + YamlFields.shape(node));
      return out;
    }
    for (Node item : list.getValue()) {
      String word = item instanceof ScalarNode scalar ? scalar.getValue().strip() : "";
      Optional<Trigger> trigger = Trigger.of(word);
      if (trigger.isPresent()) {
        out.add(trigger.get());
        continue;
      }
      StringBuilder message =
          new StringBuilder(w.child("on") + " '" + word + "' is not an event Tagflow sends");
      Suggestion.closest(word, Trigger.words())
          .ifPresent(s -> message.append("; did you mean '").append(s).append("'?"));
      message.append(" (events: ").append(String.join(", ", Trigger.words())).append(")");
      problems.add(item.getStartMark(), message.toString());
    }
    if (list.getValue().isEmpty()) {
      problems.add(
          node.getStartMark(),
          w.child("on")
              + " is empty: name the events to send, or leave it out to send all of them");
    }
    return out;
  }

  private Optional<SecretSource> secret(YamlFields s) {
    boolean file = s.has("file");
    boolean env = s.has("env");
    Optional<SecretSource> out = Optional.empty();
    if (file == env) {
      problems.add(
          s.start(),
          s.path()
              + " must give exactly one of file (a file holding the key) or env (an environment"
              + " variable holding it); the key itself never goes in this file");
    } else if (file) {
      out =
          paths
              .existingFile(s, "file", "the webhook's signing key", problems)
              .map(SecretSource.File::new);
    } else {
      Optional<String> name = s.requiredString("env", "TEAM_WEBHOOK_SECRET");
      if (name.isPresent() && !ENV_NAME.matcher(name.get()).matches()) {
        problems.add(
            s.valueMark("env"),
            s.child("env") + " '" + name.get() + "' is not an environment variable's name");
      } else if (name.isPresent() && isBlank(System.getenv(name.get()))) {
        problems.add(
            s.valueMark("env"),
            s.child("env")
                + " names "
                + name.get()
                + ", which is not set (or empty) for the server; set it before starting it");
      } else if (name.isPresent()) {
        out = Optional.of(new SecretSource.Env(name.get()));
      }
    }
    s.finish(SECRET_KEYS);
    return out;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
