package dev.tagflow.cli;

import dev.tagflow.promote.Approver;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Who approves or rejects locally: {@code --as} and {@code --role}. */
final class ApproverOptions {

  @Option(names = "--as", paramLabel = "<user>", description = "Who you are (default: $USER).")
  String as;

  @Option(
      names = "--role",
      paramLabel = "<role>",
      description = "A role you hold (release-manager); repeat for several.")
  List<String> roles = new ArrayList<>();

  Approver approver() {
    String name = as != null ? as : System.getProperty("user.name", "");
    return new Approver(name, Set.copyOf(roles));
  }
}
