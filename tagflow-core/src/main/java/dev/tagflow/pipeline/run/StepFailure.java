package dev.tagflow.pipeline.run;

import dev.tagflow.TagflowException;

/** Why a step failed without its process saying so: a bad env file, an unsupported action, …. */
final class StepFailure extends TagflowException {

  StepFailure(String message) {
    super(Reason.FAILED, message);
  }
}
