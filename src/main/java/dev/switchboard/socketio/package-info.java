/**
 * The Socket.IO v5 server (socket.io-protocol revision 5 over Engine.IO v4) with the API of Node's
 * {@code socket.io} 4.x in Java form: namespaces, sockets, events and acknowledgements, rooms and
 * broadcasting, handshake and per-packet middlewares, connection state recovery, and what spans
 * the servers of a cluster through the adapter ({@code fetchSockets}, server-side events). How the
 * protocol works and where we follow Node: {@code spec-notes/socket-io.md}; the adapter API:
 * {@code spec-notes/cluster.md}.
 *
 * <pre>{@code
 * SocketIoServer io = new SocketIoServer(SocketIoOptions.builder().ackTimeout(Duration.ofSeconds(10)).build());
 * io.use((socket, next) -> {                                    // handshake middleware
 *   if (socket.handshake().auth().path("token").asText().equals("s3cret")) next.proceed();
 *   else next.fail(new ConnectError("unauthorized"));
 * });
 * io.onConnection(socket -> {
 *   socket.join("lobby");
 *   socket.on("chat", (args, ack) -> {
 *     socket.to("lobby").emit("chat", args.get(0));             // everyone in the room but the sender
 *     ack.send("delivered");
 *   });
 *   socket.onDisconnect(reason -> io.emit("left", socket.id(), reason));
 * });
 * io.listen(3000);
 * }</pre>
 *
 * <h2>Main types</h2>
 * <ul>
 *   <li>{@link dev.switchboard.socketio.SocketIoServer} — the server: namespaces, listening, HTTP
 *       routes on the same port; {@link dev.switchboard.socketio.SocketIoOptions} configures it.</li>
 *   <li>{@link dev.switchboard.socketio.Namespace} and {@link dev.switchboard.socketio.ParentNamespace}
 *       (dynamic namespaces) — middlewares, connection handlers, sockets.</li>
 *   <li>{@link dev.switchboard.socketio.Socket} — one client in one namespace: events, acks,
 *       rooms, listeners, disconnection ({@link dev.switchboard.socketio.DisconnectReason}).</li>
 *   <li>{@link dev.switchboard.socketio.Broadcaster} — the one broadcast API of the server,
 *       namespaces and {@link dev.switchboard.socketio.BroadcastOperator}s; across a cluster
 *       through the namespace's adapter, {@code fetchSockets()} asynchronous and giving
 *       {@link dev.switchboard.socketio.RemoteSocket}s (this server's are the {@code Socket}s).</li>
 *   <li>Server-side events between the servers of a cluster: {@code serverSideEmit},
 *       {@code serverSideEmitWithAck}, {@code onServerSideEmit} on the server and on a
 *       {@code Namespace}; {@code Namespace.allRooms()}.</li>
 *   <li>{@link dev.switchboard.socketio.Middleware} and
 *       {@link dev.switchboard.socketio.PacketMiddleware} — the two chains, run by one runner with
 *       the same rules (each step answers once, a throw is a refusal, everything on the socket's
 *       executor).</li>
 *   <li>Values: {@link dev.switchboard.socketio.Args}, {@link dev.switchboard.socketio.Ack},
 *       {@link dev.switchboard.socketio.Handshake}, {@link dev.switchboard.socketio.ConnectError},
 *       {@link dev.switchboard.socketio.AckException} ({@link dev.switchboard.socketio.AckTimeoutException},
 *       {@link dev.switchboard.socketio.AckDisconnectedException}).</li>
 * </ul>
 * Package-private: {@code Client} (one Engine.IO connection, multiplexing namespaces; it sees the
 * session only through {@link dev.switchboard.engineio.EngineIoConnection}), {@code MiddlewareChain},
 * {@code SocketListeners}, {@code Json}, {@code OtherServerSocket} (another server's socket as
 * {@code fetchSockets} returns it), {@code LocalSocketDetails} (this server's socket as its adapter
 * reports it).
 *
 * <h2>Threading</h2>
 * Nothing here runs on an I/O thread. Everything one client causes — its CONNECTs, events, acks,
 * middleware steps, connection and disconnect listeners — runs on that connection's serial
 * executor ({@link dev.switchboard.socketio.Socket#executor()}), one task at a time, in arrival
 * order. Emitting, joining, leaving, disconnecting and broadcasting may be called from any thread.
 * A socket's own {@code emitWithAck} future completes on its executor; a broadcast's on the worker
 * pool, never on the timer thread. What another server causes — its broadcasts, joins, requests —
 * reaches this one through the adapter on the worker pool; {@code onServerSideEmit} handlers run
 * on their namespace's own serial executor there, one event at a time; a cluster adapter's
 * futures ({@code fetchSockets}, {@code serverSideEmitWithAck}, {@code allRooms}) complete there. Configuration ({@code use}, {@code onConnection}, {@code route},
 * {@code adapter}) belongs before {@code listen}. The whole picture: {@code spec-notes/threading.md}.
 *
 * <h2>Where each part of the API is specified</h2>
 * Every test below runs in memory (no socket: {@code socketio.testing.FakeEngineIoConnection}
 * plays the client with wire text such as {@code 0{"token":"x"}} in and {@code 0{"sid":"id1"}}
 * out), unless it says otherwise. Test classes are in {@code src/test/java/dev/switchboard/socketio/}.
 *
 * <table>
 *   <caption>Public API → the test that specifies it</caption>
 *   <tr><th>area</th><th>test class</th></tr>
 *   <tr><td>CONNECT, {@code of(name)}, {@code use}/{@code Middleware} accept and refuse,
 *       {@code ConnectError}, {@code handshake()}, {@code connectTimeout},
 *       {@code maxFailedConnects}, protocol violations,
 *       {@code isConnected}, {@code connectionId}, {@code transport}, {@code executor}</td>
 *       <td>{@code ConnectTest}, {@code HandshakeTest}</td></tr>
 *   <tr><td>the middleware chains' rules: double {@code proceed()}, throwing steps, {@code fail},
 *       {@code proceed()} from another thread, snapshot, a client gone meanwhile — handshake,
 *       dynamic namespace and per-packet</td><td>{@code MiddlewareChainTest}</td></tr>
 *   <tr><td>{@code Socket.emit}, {@code emitWithAck}, {@code timeout(...)}, client acks
 *       ({@code Ack}), {@code onAnyOutgoing}, {@code asVolatile()}</td>
 *       <td>{@code SocketEmitTest}, {@code BroadcasterTest}</td></tr>
 *   <tr><td>{@code on}, {@code off}, {@code onAny}, {@code use}, {@code onError},
 *       {@code onDisconnecting}, {@code onDisconnect}, {@code data()}</td>
 *       <td>{@code SocketListenersTest}, {@code ListenerSnapshotTest}</td></tr>
 *   <tr><td>{@code DisconnectReason}: names, recoverability, which way of leaving reports which;
 *       {@code disconnect()}, {@code disconnect(close)}</td>
 *       <td>{@code DisconnectReasonTest}, {@code BroadcasterTest}</td></tr>
 *   <tr><td>{@code join}, {@code leave}, {@code rooms()}, {@code to}/{@code in}/{@code except}
 *       and {@code broadcast()} from a socket</td><td>{@code RoomsTest}</td></tr>
 *   <tr><td>{@code Broadcaster} on the server, a namespace, a dynamic namespace and an operator:
 *       {@code to}, {@code in}, {@code except}, {@code asVolatile}, {@code local},
 *       {@code compress}, {@code emit}, {@code fetchSockets}, {@code socketsJoin},
 *       {@code socketsLeave}, {@code disconnectSockets}</td>
 *       <td>{@code BroadcasterTest}, {@code ServerBroadcastTest}</td></tr>
 *   <tr><td>broadcast {@code emitWithAck}: answers, {@code AckTimeoutException},
 *       {@code AckDisconnectedException}, {@code missingCount}, the thread futures complete on,
 *       the servers of a cluster counted</td>
 *       <td>{@code BroadcastAckTest}, {@code ServerBroadcastTest}</td></tr>
 *   <tr><td>{@code fetchSockets} and {@code RemoteSocket}, {@code allRooms}</td>
 *       <td>{@code ServerBroadcastTest}, {@code BroadcasterTest}; across servers
 *       {@code cluster/LoopbackAdapterContractTest}</td></tr>
 *   <tr><td>{@code serverSideEmit}, {@code serverSideEmitWithAck}, {@code onServerSideEmit}</td>
 *       <td>{@code ServerSideEmitTest}; across servers {@code cluster/LoopbackAdapterContractTest}</td></tr>
 *   <tr><td>every adapter's contract: the scenarios of Node's Redis adapter suite on three
 *       servers (and on one)</td><td>{@code cluster/AdapterContractTest} ({@code LoopbackAdapterContractTest},
 *       {@code InMemoryAdapterContractTest}, {@code LoopbackClusterAdapterTest})</td></tr>
 *   <tr><td>{@code of(Pattern)}, {@code of(Predicate)}, {@code ParentNamespace}, children,
 *       {@code cleanupEmptyChildNamespaces}, {@code Namespace.sockets()}, {@code parent()}</td>
 *       <td>{@code NamespaceTest}</td></tr>
 *   <tr><td>{@code SocketIoOptions} and {@code Recovery}: builders, defaults, no nulls, their
 *       effect</td><td>{@code SocketIoOptionsTest}</td></tr>
 *   <tr><td>{@code adapter(factory)} and the {@code adapter} option, adapters closed</td>
 *       <td>{@code AdapterFactoryTest}</td></tr>
 *   <tr><td>connection state recovery ({@code isRecovered}, {@code pid}/offsets, missed
 *       packets, an adapter that restores later)</td><td>{@code ConnectionRecoveryTest},
 *       {@code DisconnectReasonTest}, {@code adapter/SessionStoreTest}</td></tr>
 *   <tr><td>{@code Handshake}, its JSON for other servers</td><td>{@code HandshakeTest}</td></tr>
 *   <tr><td>{@code Args}</td><td>{@code ArgsTest}</td></tr>
 *   <tr><td>{@code listen}, {@code port}, {@code route}, {@code allowRequest}, {@code close} (over the network)</td>
 *       <td>{@code SocketIoServerTest}</td></tr>
 *   <tr><td>hostile clients over real sockets</td><td>{@code SocketIoServerHostileTest}</td></tr>
 * </table>
 *
 * <p>Depends on {@code socketio.protocol} (the codec), {@code socketio.adapter} (rooms and
 * fan-out), {@code engineio} (sessions, through {@code EngineIoConnection}), {@code net} (HTTP
 * routes), {@code http} and {@code scheduling}; on nothing above it in the project's layer order.
 */
package dev.switchboard.socketio;
