/**
 * Rooms, fan-out and everything that spans the servers of a cluster, for one namespace: the role
 * of Node's {@code socket.io-adapter}, behind an interface so that a cluster adapter (Redis) only
 * implements {@link dev.switchboard.socketio.adapter.Adapter}, without touching sockets or
 * namespaces. Operations that need other servers are asynchronous, as in Node; the in-memory
 * adapter is the default, one server, and what a cluster adapter extends for its own sockets.
 * Each method against Node's cluster messages: {@code spec-notes/cluster.md}, "The adapter API".
 *
 * <pre>{@code
 * // the default, spelled out; any AdapterFactory works the same way
 * SocketIoServer io = new SocketIoServer(SocketIoOptions.builder().adapter(InMemoryAdapter::new).build());
 * Set<String> rooms = io.sockets().adapter().rooms();      // rooms with a member here, "/" namespace
 *
 * // a cluster adapter's shape
 * final class MyClusterAdapter extends InMemoryAdapter {
 *   MyClusterAdapter(AdapterNamespace ns) { super(ns); }
 *   @Override public void broadcast(SocketIoPacket packet, BroadcastOptions options) {
 *     if (!options.flags().local()) publish(packet, options);  // the other servers deliver it
 *     super.broadcast(packet, options);                        // this server's sockets
 *   }
 *   // ... serverCount(), fetchSockets(...), broadcastWithAck(...), serverSideEmit(...), close()
 * }
 * }</pre>
 *
 * <h2>Main types</h2>
 * <ul>
 *   <li>{@link dev.switchboard.socketio.adapter.Adapter} — local membership both ways (room →
 *       sockets, socket → rooms), broadcasts with or without acks, the cluster's requests
 *       ({@code serverCount}, {@code fetchSockets}, {@code addSockets}/{@code delSockets}/
 *       {@code disconnectSockets}, {@code allRooms}, {@code serverSideEmit}), connection state
 *       recovery ({@code persistSession}, {@code restoreSession}) and {@code close};
 *       {@link dev.switchboard.socketio.adapter.InMemoryAdapter} is the one-process implementation
 *       (an empty room disappears at once; a broadcast is encoded once; with recovery on it keeps
 *       sessions and offset-stamped packets, as Node's {@code SessionAwareAdapter}).</li>
 *   <li>{@link dev.switchboard.socketio.adapter.AdapterFactory} — makes each namespace's adapter,
 *       from the {@link dev.switchboard.socketio.adapter.AdapterNamespace} view of it: sockets by
 *       id, the ack counter, a socket's details, join/leave/disconnect by id, the application's
 *       server-side handlers, the recovery window, the clock and the completion executor.</li>
 *   <li>{@link dev.switchboard.socketio.adapter.AdapterSocket} — what an adapter may do with a
 *       socket: deliver an encoded packet, expect an ack
 *       ({@link dev.switchboard.socketio.adapter.AckSink}: an answer — from another server without
 *       a socket id — or a local disconnection).</li>
 *   <li>Values: {@link dev.switchboard.socketio.adapter.BroadcastOptions} (rooms, except, flags),
 *       {@link dev.switchboard.socketio.adapter.BroadcastFlags} (volatile, compress, local,
 *       timeout), {@link dev.switchboard.socketio.adapter.Outgoing} (a packet encoded once, its
 *       Engine.IO frames built once, for any number of recipients),
 *       {@link dev.switchboard.socketio.adapter.SocketDetails} (a socket as {@code fetchSockets}
 *       reports it, in Node's JSON), {@link dev.switchboard.socketio.adapter.PersistedSession} and
 *       {@link dev.switchboard.socketio.adapter.RestoredSession} (recovery),
 *       {@link dev.switchboard.socketio.adapter.Offsets} (which packets carry an offset, and how),
 *       {@link dev.switchboard.socketio.adapter.ClusterRequestTimeoutException} (not every server
 *       answered).</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Adapters are thread-safe: sockets of many sessions join, leave and broadcast at once. The
 * in-memory adapter guards membership with its monitor and delivers outside it; a broadcast adds
 * no lock and no allocation per recipient beyond the recipient list. A cluster adapter hands every
 * message from its transport's threads, and every timer, to
 * {@link dev.switchboard.socketio.adapter.AdapterNamespace#completions()} (the server's worker
 * pool) and completes its futures there; the application's server-side handlers then run on the
 * namespace's own serial executor.
 *
 * <h2>Where it is specified</h2>
 * <table>
 *   <caption>Public API → the test that specifies it</caption>
 *   <tr><th>area</th><th>test class</th></tr>
 *   <tr><td>{@code InMemoryAdapter}: addAll/del/delAll, eager room removal, socketRooms, rooms,
 *       sockets(options), broadcast encoding once, broadcastWithAck, serverCount, fetchSockets,
 *       addSockets/delSockets/disconnectSockets, allRooms; {@code BroadcastFlags},
 *       {@code BroadcastOptions}, {@code Outgoing}</td>
 *       <td>{@code adapter/InMemoryAdapterTest}</td></tr>
 *   <tr><td>recovery in memory: {@code persistSession}, {@code restoreSession}, {@code Offsets},
 *       {@code PersistedSession.isReachedBy}, expiry</td><td>{@code adapter/SessionStoreTest}</td></tr>
 *   <tr><td>{@code AdapterFactory} and what an adapter sees ({@code AdapterNamespace}),
 *       {@code close}</td><td>{@code AdapterFactoryTest}, {@code NamespaceTest},
 *       {@code ServerSideEmitTest}</td></tr>
 *   <tr><td>{@code AckSink}: answers, disconnections, answers of other servers</td>
 *       <td>{@code BroadcastAckTest}</td></tr>
 *   <tr><td>{@code BroadcastFlags} as broadcasts hand them over</td>
 *       <td>{@code BroadcasterTest}, {@code ServerBroadcastTest}</td></tr>
 *   <tr><td>what every adapter must do across servers (Node's Redis adapter suite)</td>
 *       <td>{@code cluster/AdapterContractTest}: {@code LoopbackAdapterContractTest},
 *       {@code InMemoryAdapterContractTest}</td></tr>
 * </table>
 * (in {@code src/test/java/dev/switchboard/socketio/}, in memory).
 *
 * <p>Depends on {@code socketio.protocol} (encoding), {@code engineio} ({@code SharedMessage}) and
 * {@code scheduling} (the clock, {@code Cancellable}); never on {@code socketio} itself, which
 * depends on it.
 */
package dev.switchboard.socketio.adapter;
