package dev.switchboard.engineio;

import dev.switchboard.http.HttpRequest;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * The {@code allowRequest} hook of Node's engine.io: decides whether a handshake may open a
 * session. A refusal answers 403 with Engine.IO error code 4 ("Forbidden"). It may complete
 * later (asynchronously); it runs on a worker thread, never on an I/O thread.
 */
@FunctionalInterface
public interface RequestFilter {
  /** Completes with true to let the handshake {@code request} from {@code remote} open a session. */
  CompletionStage<Boolean> allow(HttpRequest request, InetSocketAddress remote);
}
