/**
 * The command line's way to a Tagflow server: {@link dev.tagflow.cli.client.ApiConnection} (the
 * JDK's HttpURLConnection, a token or a session, {@code --ca-file}, every failure a {@link
 * dev.tagflow.cli.client.ClientFailure} with its exit code and a message without credentials),
 * {@link dev.tagflow.cli.client.ClientConfig} (the contexts of {@code
 * $XDG_CONFIG_HOME/tagflow/config.yaml}, read strictly with file:line:column errors, written
 * atomically with mode 0600) and {@link dev.tagflow.cli.client.JsonText} (JSON without Jackson, so
 * that a client verb starts fast). See docs/cli.md.
 */
package dev.tagflow.cli.client;
