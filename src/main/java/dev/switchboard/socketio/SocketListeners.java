package dev.switchboard.socketio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * Everything one {@link Socket} listens with, as one immutable value: its event handlers, and its
 * rarer hooks (catch-all listeners, per-packet middlewares, error and disconnect listeners).
 * Registering builds a new value (copy-on-write); the socket publishes it through one volatile
 * field, so dispatch reads one consistent snapshot without a lock and without allocating.
 *
 * <p>Memory, since every idle socket holds one (BENCHMARKS.md, "Missed: idle memory per 1 000
 * WebSocket clients"): a socket with nothing registered points at {@link #NONE}; the hooks most
 * sockets never use share {@link Hooks#NONE}; and the event-name array is shared between sockets
 * that registered the same names in the same order (what an application's connection handler
 * does for every socket), so each socket pays for its handlers array only. For the benchmark
 * application's four handlers that is 24 bytes here and 32 for the handlers, where the interleaved
 * {@code Object[]} of names and handlers was 48 and the six other listener fields of the socket 24.
 *
 * <p>Threading: immutable, so any thread may read it; {@link Socket} builds the next value under
 * its monitor.
 */
final class SocketListeners {
  private static final String[] NO_EVENTS = {};
  private static final EventHandler[] NO_HANDLERS = {};

  /** Nothing registered: what every socket starts with. */
  static final SocketListeners NONE = new SocketListeners(NO_EVENTS, NO_HANDLERS, Hooks.NONE);

  /** {@code handlers[i]} handles the event named {@code events[i]}; registration order; never written. */
  final String[] events;
  final EventHandler[] handlers;
  final Hooks hooks;

  private SocketListeners(String[] events, EventHandler[] handlers, Hooks hooks) {
    this.events = events;
    this.handlers = handlers;
    this.hooks = hooks;
  }

  /** With {@code handler} added for {@code event}, after the others. */
  SocketListeners on(String event, EventHandler handler) {
    String[] names = Arrays.copyOf(events, events.length + 1);
    names[events.length] = event;
    EventHandler[] hs = Arrays.copyOf(handlers, handlers.length + 1);
    hs[handlers.length] = handler;
    return new SocketListeners(SharedNames.share(names), hs, hooks);
  }

  /** Without the first registration of {@code handler} for {@code event}; this one when there is none. */
  SocketListeners off(String event, EventHandler handler) {
    for (int i = 0; i < events.length; i++) {
      if (!events[i].equals(event) || !Objects.equals(handlers[i], handler)) continue;
      return new SocketListeners(SharedNames.share(without(events, i, NO_EVENTS)),
          without(handlers, i, NO_HANDLERS), hooks);
    }
    return this;
  }

  /** With other hooks. */
  SocketListeners with(Hooks next) {
    return next == hooks ? this : new SocketListeners(events, handlers, next);
  }

  private static <T> T[] without(T[] all, int index, T[] empty) {
    if (all.length == 1) return empty;
    T[] out = Arrays.copyOf(all, all.length - 1);
    System.arraycopy(all, index + 1, out, index, all.length - index - 1);
    return out;
  }

  /**
   * The listeners most sockets never register, kept apart so that a socket with handlers only
   * does not pay for six empty slots. Immutable lists, in registration order.
   */
  static final class Hooks {
    static final Hooks NONE = new Hooks(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    /** {@code socket.onAny}: every incoming event, before its handlers. */
    final List<AnyListener> anyIncoming;
    /** {@code socket.onAnyOutgoing}: every event the socket emits. */
    final List<AnyListener> anyOutgoing;
    /** {@code socket.use}: the per-packet chain. */
    final List<PacketMiddleware> middlewares;
    /** {@code socket.onError}: per-packet refusals. */
    final List<Consumer<Exception>> errors;
    /** {@code socket.onDisconnecting}: still in its rooms. */
    final List<Consumer<DisconnectReason>> disconnecting;
    /** {@code socket.onDisconnect}. */
    final List<Consumer<DisconnectReason>> disconnected;

    private Hooks(List<AnyListener> anyIncoming, List<AnyListener> anyOutgoing, List<PacketMiddleware> middlewares,
        List<Consumer<Exception>> errors, List<Consumer<DisconnectReason>> disconnecting,
        List<Consumer<DisconnectReason>> disconnected) {
      this.anyIncoming = anyIncoming;
      this.anyOutgoing = anyOutgoing;
      this.middlewares = middlewares;
      this.errors = errors;
      this.disconnecting = disconnecting;
      this.disconnected = disconnected;
    }

    Hooks plusAnyIncoming(AnyListener l) {
      return new Hooks(plus(anyIncoming, l), anyOutgoing, middlewares, errors, disconnecting, disconnected);
    }

    Hooks plusAnyOutgoing(AnyListener l) {
      return new Hooks(anyIncoming, plus(anyOutgoing, l), middlewares, errors, disconnecting, disconnected);
    }

    Hooks plusMiddleware(PacketMiddleware m) {
      return new Hooks(anyIncoming, anyOutgoing, plus(middlewares, m), errors, disconnecting, disconnected);
    }

    Hooks plusError(Consumer<Exception> l) {
      return new Hooks(anyIncoming, anyOutgoing, middlewares, plus(errors, l), disconnecting, disconnected);
    }

    Hooks plusDisconnecting(Consumer<DisconnectReason> l) {
      return new Hooks(anyIncoming, anyOutgoing, middlewares, errors, plus(disconnecting, l), disconnected);
    }

    Hooks plusDisconnected(Consumer<DisconnectReason> l) {
      return new Hooks(anyIncoming, anyOutgoing, middlewares, errors, disconnecting, plus(disconnected, l));
    }

    private static <T> List<T> plus(List<T> list, T item) {
      List<T> next = new ArrayList<>(list.size() + 1);
      next.addAll(list);
      next.add(Objects.requireNonNull(item, "listener"));
      return List.copyOf(next);
    }
  }

  /**
   * Event-name arrays shared between sockets. An application registers the same handlers in the
   * same order on every socket, so after the first socket the names array each registration
   * builds equals one seen before; the socket keeps that one and its own copy is garbage at once.
   * One slot per length (up to {@link #SLOTS}): a different sequence of the same length replaces
   * the slot, so the cache never holds more than {@link #SLOTS} small arrays. Races only cost a
   * missed share: the arrays are never written after they are built.
   */
  private static final class SharedNames {
    private static final int SLOTS = 32;
    private static final AtomicReferenceArray<String[]> BY_LENGTH = new AtomicReferenceArray<>(SLOTS);

    static String[] share(String[] names) {
      int slot = names.length - 1;
      if (slot < 0 || slot >= SLOTS) return names.length == 0 ? NO_EVENTS : names;
      String[] known = BY_LENGTH.get(slot);
      if (known != null && Arrays.equals(known, names)) return known;
      BY_LENGTH.set(slot, names);
      return names;
    }
  }
}
