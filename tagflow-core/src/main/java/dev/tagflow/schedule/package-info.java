/**
 * Sync windows: when syncs may start. {@link dev.tagflow.schedule.SyncWindows} is the entry point:
 * the windows that apply to one application and their {@link
 * dev.tagflow.schedule.WindowVerdict} at an instant, for an automated sync or a person's, with
 * when syncs open again (or close next); windows from several places (a project's, an
 * environment's) are judged together with {@code SyncWindows.and}, and windows that could not be
 * read ({@code SyncWindows.unreadable}) keep syncs closed. A {@link dev.tagflow.schedule.SyncWindow} opens at each start of its
 * {@link dev.tagflow.schedule.CronSchedule} (five fields, ranges, steps, lists, names, {@code
 * @daily} and the like, on the wall clock of its time zone) for its duration; a {@link
 * dev.tagflow.schedule.Selector} says which applications it applies to. A leaf: the controller
 * ({@code reconcile}) and the environment policy ({@code promote}) both use it.
 */
package dev.tagflow.schedule;
