package dev.tagflow.server.config;

import dev.tagflow.server.rbac.PolicyError;
import dev.tagflow.server.rbac.PolicyParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the security settings of a settings file: the RBAC policy, trusted proxies and TLS. */
final class SecurityReader {

  private SecurityReader() {}

  /**
   * {@code rbac.policy}, {@code trustedProxies} and {@code tls}. A policy that does not parse is a
   * problem of the file, so a reload keeps the last good settings, policy included.
   */
  static ServerSettings.Security security(
      YamlFields r, SettingsProblems problems, SettingsPaths paths) {
    Optional<String> policy = Optional.empty();
    Optional<YamlFields> rbac = r.mapping("rbac");
    if (rbac.isPresent()) {
      policy = rbac.get().string("policy");
      if (policy.isPresent()
          && PolicyParser.parse("rbac.policy", policy.get())
              instanceof PolicyParser.Result.Refused refused) {
        for (PolicyError error : refused.errors()) {
          problems.add(
              rbac.get().valueMark("policy"),
              "rbac.policy line "
                  + error.line()
                  + " column "
                  + error.column()
                  + ": "
                  + error.reason());
        }
      }
      rbac.get().finish(List.of("policy"));
    }
    List<String> proxies = new ArrayList<>();
    r.string("trustedProxies")
        .ifPresent(
            text -> {
              for (String proxy : text.split(",")) {
                if (!proxy.isBlank()) {
                  proxies.add(proxy.strip());
                }
              }
            });
    Optional<ServerSettings.Tls> tls = Optional.empty();
    Optional<YamlFields> tlsFields = r.mapping("tls");
    if (tlsFields.isPresent()) {
      Optional<Path> certificate =
          paths.existingFile(
              tlsFields.get(), "certificateFile", "the PEM certificate chain", problems);
      Optional<Path> key =
          paths.existingFile(tlsFields.get(), "keyFile", "the PEM private key", problems);
      if (certificate.isPresent() && key.isPresent()) {
        tls = Optional.of(new ServerSettings.Tls(certificate.get(), key.get()));
      } else if (certificate.isPresent() != key.isPresent()) {
        problems.add(tlsFields.get().start(), "tls needs both certificateFile and keyFile");
      }
      tlsFields.get().finish(List.of("certificateFile", "keyFile"));
    }
    return new ServerSettings.Security(policy, proxies, tls);
  }
}
