package dev.switchboard.socketio;

import java.util.List;
import java.util.Set;

/**
 * An {@code emitWithAck} that ended without every answer it waited for. Both ways it can end so
 * carry the same two things — the answers that did arrive, and the ids of the sockets that did
 * not answer — so that a caller can use the partial result (a broadcast's answers so far) and
 * knows exactly who is missing, whichever way it ended:
 *
 * <ul>
 *   <li>{@link AckTimeoutException}: the time given ({@code timeout(...)} or the server's
 *       {@code ackTimeout}) ran out; a client may still be slow rather than gone;</li>
 *   <li>{@link AckDisconnectedException}: every target either answered or disconnected, and some
 *       disconnected; no answer can come from those any more, so the future ends at once rather
 *       than waiting for a timeout that may not exist.</li>
 * </ul>
 *
 * <pre>{@code
 * io.timeout(Duration.ofSeconds(5)).emitWithAck("vote").whenComplete((answers, err) -> {
 *   if (err instanceof CompletionException c && c.getCause() instanceof AckException e) {
 *     tally(e.responses());
 *     log.info(e.missingCount() + " missing, here: " + e.missingSocketIds());
 *   } else if (err == null) {
 *     tally(answers);
 *   }
 * });
 * }</pre>
 */
public abstract sealed class AckException extends Exception permits AckTimeoutException, AckDisconnectedException {
  private final transient List<Args> responses;
  private final Set<String> missing;
  private final int missingCount;

  AckException(String message, List<Args> responses, Set<String> missing, int missingCount) {
    super(message, null, false, false);
    this.responses = List.copyOf(responses);
    this.missing = Set.copyOf(missing);
    this.missingCount = missingCount;
  }

  /** The answers that arrived, in arrival order (empty for a single socket's emit). */
  public List<Args> responses() {
    return responses;
  }

  /**
   * The ids of the sockets of this server that did not answer. The clients of other servers of a
   * cluster that did not answer are counted by {@link #missingCount()}; their ids are not known
   * here (the cluster protocols do not carry them).
   */
  public Set<String> missingSocketIds() {
    return missing;
  }

  /**
   * How many answers are missing in all: the sockets of {@link #missingSocketIds()} plus, for a
   * broadcast across a cluster, the clients of other servers that were sent the packet and did
   * not answer. (A server that had not yet said how many clients it reached when the timeout
   * fired is not in this count.)
   */
  public int missingCount() {
    return missingCount;
  }
}
