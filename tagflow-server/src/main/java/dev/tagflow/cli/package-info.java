/**
 * The {@code tagflow} command line: one picocli class per verb ({@code cluster}, {@code repo},
 * {@code git}, {@code render}, {@code diff}, {@code sync}, {@code workflow}, {@code server}, {@code
 * demo}, {@code promote}, {@code approvals}, {@code completion}), started by {@link
 * dev.tagflow.cli.Main}. The verbs are listed in {@code TagflowCommand.VERBS}, and a command line
 * builds only the verb it names (docs/cli.md): a verb's constructor and static initialisers run on
 * every start of that verb, so they create nothing costly.
 *
 * <p>{@code login}, {@code logout} and {@code app} are clients of a running server's API ({@link
 * dev.tagflow.cli.client}): the server and credentials from {@link dev.tagflow.cli.ServerOptions}
 * (flags, environment, the configuration file's context), output by {@link
 * dev.tagflow.cli.ClientOutput}, waits by {@link dev.tagflow.cli.AppWaiter}.
 *
 * <p>Exit codes are {@link dev.tagflow.cli.ExitCode}: 0 done, 1 failed, 2 invalid input, 3 refused
 * by a policy (a promotion, a sync window; nothing was changed), and for the client verbs 4 not
 * found, 5 credentials refused or not allowed, 6 timed out, 7 degraded, 8 server unreachable. An
 * error is one line on stderr saying what, where and how to fix it, with credentials redacted;
 * {@code --debug} adds the stack trace. Input is checked before anything is created or a cluster is
 * contacted, so a mistake changes nothing. {@code tagflow server} wires the daemon ({@link
 * dev.tagflow.server.TagflowDaemon}), the controller ({@link dev.tagflow.server.ControllerService})
 * and the settings file ({@code --config}); the rules for that file are in {@code
 * docs/server-config.md}.
 */
package dev.tagflow.cli;
