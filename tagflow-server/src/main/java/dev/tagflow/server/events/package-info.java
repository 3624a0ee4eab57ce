/**
 * Where the server's events come from: {@link dev.tagflow.server.events.TriggeredRefSource} turns
 * webhook deliveries and pushes into ref events; {@link dev.tagflow.server.events.ObservedRuns} and
 * {@link dev.tagflow.server.events.ObservedPromotions} wrap the run and promotion stores so that a
 * run's end and a new promotion request reach metrics and notifications without the pipeline or the
 * promotion writer calling anything of their own. {@link dev.tagflow.server.events.ControllerAudit}
 * puts the rollbacks the controller makes on its own in the audit log.
 */
package dev.tagflow.server.events;
