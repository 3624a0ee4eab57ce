package dev.tagflow.cli;

import dev.tagflow.TagflowException;
import dev.tagflow.server.ServerConfig;
import dev.tagflow.server.TlsFiles;
import dev.tagflow.server.config.ServerSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import picocli.CommandLine.Option;

/** Where {@code tagflow server} listens and how clients reach it: address, port, URL, HTTPS. */
final class ServerListenOptions {

  @Option(
      names = "--host",
      defaultValue = ServerConfig.DEFAULT_HOST,
      description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "" + ServerConfig.DEFAULT_PORT,
      description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--public-url",
      paramLabel = "<url>",
      description = "The URL clients use, when it differs from the address listened on.")
  URI publicUrl;

  @Option(
      names = "--tls-cert-file",
      paramLabel = "<file>",
      description = "PEM certificate chain to serve HTTPS with (with --tls-key-file).")
  Path tlsCertFile;

  @Option(
      names = "--tls-key-file",
      paramLabel = "<file>",
      description = "PEM private key of --tls-cert-file (unencrypted, readable by you only).")
  Path tlsKeyFile;

  /** Refuses a port no socket can have. */
  void check() {
    if (port < 0 || port > 65535) {
      throw TagflowException.invalidInput("--port must be between 0 and 65535, not " + port);
    }
  }

  /**
   * The server's address and data directory: a flag given wins over the file's setting.
   *
   * @param given whether an option was given on the command line
   */
  ServerConfig config(Optional<ServerSettings> file, Path data, Predicate<String> given) {
    return new ServerConfig(
        given.test("--host") ? host : file.map(s -> s.listen().host()).orElse(host),
        given.test("--port") ? port : file.map(s -> s.listen().port()).orElse(port),
        data,
        Optional.ofNullable(publicUrl).or(() -> file.flatMap(ServerSettings::publicUrl)));
  }

  /** The flags' certificate files, else the file's {@code tls}; both files or neither. */
  Optional<TlsFiles> tls(Optional<ServerSettings> file) {
    if ((tlsCertFile == null) != (tlsKeyFile == null)) {
      throw TagflowException.invalidInput(
          "--tls-cert-file and --tls-key-file go together: give both, or neither for plain HTTP");
    }
    if (tlsCertFile != null) {
      for (Path given : List.of(tlsCertFile, tlsKeyFile)) {
        if (!Files.isRegularFile(given)) {
          throw TagflowException.invalidInput(given + " does not exist: give a PEM file");
        }
      }
      return Optional.of(new TlsFiles(tlsCertFile.toAbsolutePath(), tlsKeyFile.toAbsolutePath()));
    }
    return file.flatMap(s -> s.security().tls())
        .map(t -> new TlsFiles(t.certificateFile(), t.keyFile()));
  }
}
