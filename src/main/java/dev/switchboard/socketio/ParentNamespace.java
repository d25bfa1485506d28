package dev.switchboard.socketio;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A dynamic namespace: a rule (regular expression or predicate) that matches namespace names.
 * The first client to connect to a matching name creates a child {@link Namespace} which shares
 * this parent's middlewares and connection handlers; broadcasting on the parent reaches every
 * child, as in Node's {@code ParentNamespace}.
 *
 * <pre>{@code
 * io.of(Pattern.compile("^/team-\\d+$")).onConnection(socket -> {
 *   Namespace team = socket.namespace(); // e.g. "/team-42"
 * });
 * }</pre>
 */
public final class ParentNamespace implements Broadcaster {
  private final Predicate<String> rule;
  private final SocketIoServer server;
  final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
  final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
  private final Map<String, Namespace> children = new ConcurrentHashMap<>();

  ParentNamespace(Predicate<String> rule, SocketIoServer server) {
    this.rule = rule;
    this.server = server;
  }

  boolean matches(String name) {
    return rule.test(name);
  }

  /** Adds a handshake middleware every child runs, before the child's own; see {@link Middleware}. */
  public ParentNamespace use(Middleware middleware) {
    middlewares.add(middleware);
    return this;
  }

  /** Runs for every socket that connects to any child, before the child's own handlers. */
  public ParentNamespace onConnection(Consumer<Socket> handler) {
    connectionHandlers.add(handler);
    return this;
  }

  /** The children created so far, by name. */
  public Map<String, Namespace> children() {
    return Map.copyOf(children);
  }

  /** The child for {@code name}; it runs this parent's middlewares and connection handlers. */
  Namespace createChild(String name) {
    return children.computeIfAbsent(name, n -> new Namespace(n, server, this));
  }

  void removeChild(Namespace child) {
    children.remove(child.name(), child);
  }

  /** Every socket of every child created so far; {@link Broadcaster}'s methods start from it. */
  @Override
  public BroadcastOperator operator() {
    return BroadcastOperator.of(new ArrayList<>(children.values()));
  }
}
