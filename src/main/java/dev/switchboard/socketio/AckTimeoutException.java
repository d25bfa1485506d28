package dev.switchboard.socketio;

import java.util.List;
import java.util.Set;

/**
 * An acknowledgement did not arrive in time ("operation has timed out", as Node says). For a
 * broadcast it carries the answers that did arrive and the ids of the sockets that did not
 * answer; see {@link AckException}.
 */
public final class AckTimeoutException extends AckException {
  /** {@code responses}: the answers that arrived; {@code missing}: who did not answer in time. */
  AckTimeoutException(List<Args> responses, Set<String> missing) {
    this(responses, missing, missing.size());
  }

  /**
   * {@code missingCount}: how many answers are missing in all, {@code missing} included (see
   * {@link AckException#missingCount()}).
   */
  AckTimeoutException(List<Args> responses, Set<String> missing, int missingCount) {
    super("operation has timed out", responses, missing, missingCount);
  }
}
