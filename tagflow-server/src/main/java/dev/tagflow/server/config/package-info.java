/**
 * The server's settings file, {@code tagflow server --config tagflow.yaml}: what it may say, how it
 * is read, and how a running server follows its changes. The file and every key are described for
 * users in {@code docs/server-config.md}.
 *
 * <p>{@link dev.tagflow.server.config.ServerSettingsReader} reads a file into {@link
 * dev.tagflow.server.config.ServerSettings} or refuses it ({@link
 * dev.tagflow.server.config.SettingsRead}) with every problem at once, each at its {@code
 * file:line:column}: an unknown key with the closest known one, a value of the wrong kind, two
 * clusters, repositories or projects of one name, an application folder naming no repository, a
 * project destination naming no cluster, credentials in a repository or webhook URL, a secret file
 * or kubeconfig context that is not there, a notification event Tagflow does not send ({@link
 * dev.tagflow.server.config.NotificationReader}). A relative path starts at the file's own folder
 * and {@code ~} is the home folder, so the file means the same whoever starts the server from
 * wherever.
 *
 * <pre>{@code
 * switch (ServerSettingsReader.forUser().read(Path.of("tagflow.yaml"))) {
 *   case SettingsRead.Loaded loaded -> run(loaded.settings());
 *   case SettingsRead.Refused refused -> fail(refused.message()); // file:line:column: …
 * }
 * }</pre>
 *
 * <p>{@link dev.tagflow.server.config.SettingsWatcher} reads the file again when it changes or on
 * SIGHUP ({@link dev.tagflow.server.config.HangupSignal}) and gives each valid new version to the
 * {@link dev.tagflow.server.config.SettingsListener}s as a {@link
 * dev.tagflow.server.config.SettingsChange}: which repositories, clusters, application folders and
 * projects were added, removed or changed, and whether the reconcile pacing changed. A file with
 * mistakes changes nothing; its problems are logged and shown by {@code /healthz} ({@link
 * dev.tagflow.server.config.SettingsStatus}) until it is fixed. What a running server cannot change
 * (listen address, data directory, database, public URL, secret files) keeps its running value and
 * is reported as needing a restart.
 */
package dev.tagflow.server.config;
