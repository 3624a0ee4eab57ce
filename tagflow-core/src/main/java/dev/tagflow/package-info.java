/**
 * What every package of the engine shares, and nothing else: {@link dev.tagflow.TagflowException}
 * (the one error a user or an operator sees, with a reason saying whether the input was wrong or
 * something failed; its message passes {@link dev.tagflow.UrlRedaction} when it is made), {@link
 * dev.tagflow.UrlRedaction} (the one removal of credentials from URLs, wherever a URL leaves the
 * process), {@link dev.tagflow.GroupKind} (a kind without its version) and {@link
 * dev.tagflow.TagflowVersion}. The engine itself lives in the sub-packages, in the order a change
 * flows: source → render → diff → apply/sync → health → reconcile.
 */
package dev.tagflow;
