package dev.switchboard.socketio.adapter;

/**
 * Makes the {@link Adapter} of one namespace (Node's {@code io.adapter(...)} constructor). The
 * server calls it once per namespace, when the namespace is created, and again for every
 * namespace without sockets when {@code SocketIoServer.adapter(factory)} replaces the factory.
 *
 * <pre>{@code
 * SocketIoOptions options = SocketIoOptions.builder().adapter(InMemoryAdapter::new).build();
 * }</pre>
 *
 * <p>Threading: called on whichever thread creates the namespace (configuration, or the session
 * executor of the first client of a dynamic namespace); it must not block.
 */
@FunctionalInterface
public interface AdapterFactory {
  /** A new adapter for {@code namespace}; never null. */
  Adapter create(AdapterNamespace namespace);
}
