package dev.switchboard.socketio.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * A request to the other nodes of a cluster ({@code fetchSockets}, {@code allRooms},
 * {@code serverSideEmitWithAck}) that not every node answered in time; its message is Node's,
 * {@code timeout reached: only N responses received out of M}. For a server-side emit it carries
 * the answers that did arrive.
 *
 * <pre>{@code
 * io.serverSideEmitWithAck("ping").whenComplete((answers, err) -> {
 *   if (err instanceof CompletionException c && c.getCause() instanceof ClusterRequestTimeoutException t) {
 *     log.info(t.received() + " of " + t.expected() + " servers answered: " + t.responses());
 *   }
 * });
 * }</pre>
 */
public final class ClusterRequestTimeoutException extends Exception {
  private final int received;
  private final int expected;
  private final transient List<ArrayNode> responses;

  /** {@code responses}: each answering node's answer (its ack arguments), for a server-side emit; else empty. */
  public ClusterRequestTimeoutException(int received, int expected, List<ArrayNode> responses) {
    super("timeout reached: only " + received + " responses received out of " + expected, null, false, false);
    this.received = received;
    this.expected = expected;
    this.responses = List.copyOf(responses);
  }

  /** How many nodes answered. */
  public int received() {
    return received;
  }

  /** How many nodes were asked (every node but this one). */
  public int expected() {
    return expected;
  }

  /** The answers that arrived, in arrival order: each a node's ack arguments (server-side emits only). */
  public List<ArrayNode> responses() {
    return responses;
  }
}
