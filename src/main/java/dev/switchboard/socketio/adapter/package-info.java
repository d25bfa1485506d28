/**
 * Rooms and fan-out for one namespace: the role of Node's {@code socket.io-adapter}, behind an
 * interface so that another implementation (a cluster adapter) can replace the in-memory one
 * without touching sockets or namespaces.
 *
 * <pre>{@code
 * // the default, spelled out; any AdapterFactory works the same way
 * SocketIoServer io = new SocketIoServer(SocketIoOptions.builder().adapter(InMemoryAdapter::new).build());
 * Set<String> rooms = io.sockets().adapter().rooms();      // every room with a member, "/" namespace
 * }</pre>
 *
 * <h2>Main types</h2>
 * <ul>
 *   <li>{@link dev.switchboard.socketio.adapter.Adapter} — membership both ways (room → sockets,
 *       socket → rooms) and broadcasts, with or without one shared ack id;
 *       {@link dev.switchboard.socketio.adapter.InMemoryAdapter} is the one-process implementation
 *       (an empty room disappears at once; a broadcast is encoded once).</li>
 *   <li>{@link dev.switchboard.socketio.adapter.AdapterFactory} — makes each namespace's adapter,
 *       from the {@link dev.switchboard.socketio.adapter.AdapterNamespace} view of it.</li>
 *   <li>{@link dev.switchboard.socketio.adapter.AdapterSocket} — what an adapter may do with a
 *       socket: deliver an encoded packet, expect an ack
 *       ({@link dev.switchboard.socketio.adapter.AdapterSocket.AckListener}: an answer or a
 *       disconnection, once).</li>
 *   <li>Values: {@link dev.switchboard.socketio.adapter.BroadcastOptions} (rooms, except, flags),
 *       {@link dev.switchboard.socketio.adapter.BroadcastFlags} (volatile, compress, local),
 *       {@link dev.switchboard.socketio.adapter.Outgoing} (a packet encoded once, its Engine.IO
 *       frames built once, for any number of recipients).</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Adapters are thread-safe: sockets of many sessions join, leave and broadcast at once. The
 * in-memory adapter guards membership with its monitor and delivers outside it; a broadcast adds
 * no lock and no allocation per recipient beyond the recipient list.
 *
 * <h2>Where it is specified</h2>
 * <table>
 *   <caption>Public API → the test that specifies it</caption>
 *   <tr><th>area</th><th>test class</th></tr>
 *   <tr><td>{@code InMemoryAdapter}: addAll/del/delAll, eager room removal, socketRooms, rooms,
 *       sockets(options), broadcast encoding once, broadcastWithAck</td>
 *       <td>{@code adapter/InMemoryAdapterTest}</td></tr>
 *   <tr><td>{@code AdapterFactory} and what an adapter sees ({@code AdapterNamespace})</td>
 *       <td>{@code AdapterFactoryTest}, {@code NamespaceTest}</td></tr>
 *   <tr><td>{@code AckListener}: answers and disconnections</td><td>{@code BroadcastAckTest}</td></tr>
 *   <tr><td>{@code BroadcastFlags} as broadcasts hand them over</td><td>{@code BroadcasterTest}</td></tr>
 * </table>
 * (in {@code src/test/java/dev/switchboard/socketio/}, in memory).
 *
 * <p>Depends on {@code socketio.protocol} (encoding) and {@code engineio} ({@code SharedMessage});
 * never on {@code socketio} itself, which depends on it.
 */
package dev.switchboard.socketio.adapter;
