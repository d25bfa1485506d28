package dev.switchboard.scheduling;

/** A scheduled task that may still be called off. Cancelling twice, or after it ran, does nothing. */
@FunctionalInterface
public interface Cancellable {
  /** Prevents the task from running if it has not started yet. */
  void cancel();

  /** A handle that cancels nothing; useful as the initial value of a timer field. */
  Cancellable NONE = () -> {};
}
