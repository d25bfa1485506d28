package dev.switchboard.socketio;

import java.util.List;
import java.util.Set;

/**
 * An acknowledgement did not arrive in time ("operation has timed out", as Node says). For a
 * broadcast it carries the answers that did arrive and the ids of the sockets that did not answer.
 */
public final class AckTimeoutException extends Exception {
  private final transient List<Args> responses;
  private final Set<String> missing;

  public AckTimeoutException(List<Args> responses, Set<String> missing) {
    super("operation has timed out", null, false, false);
    this.responses = List.copyOf(responses);
    this.missing = Set.copyOf(missing);
  }

  public List<Args> responses() {
    return responses;
  }

  public Set<String> missingSocketIds() {
    return missing;
  }
}
