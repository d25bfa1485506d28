/**
 * Switchboard: the server side of Socket.IO 4 (Engine.IO protocol v4, Socket.IO protocol v5) on
 * its own non-blocking HTTP/1.1 and WebSocket stack.
 *
 * <p>The API is {@code dev.switchboard.socketio}: {@link dev.switchboard.socketio.SocketIoServer},
 * namespaces, sockets, broadcasts, middlewares, acknowledgements.
 *
 * <pre>{@code
 * module my.app {
 *   requires dev.switchboard;
 * }
 *
 * SocketIoServer io = new SocketIoServer();
 * io.onConnection(socket -> socket.on("hello", (args, ack) -> ack.send("hi", socket.id())));
 * io.listen(3000);
 * }</pre>
 *
 * <p>Exported packages are the API and what its signatures name, nothing else ({@code
 * -Xlint:exports}, part of the build's {@code -Xlint:all}, warns when an exported signature names
 * a type of a package left out):
 *
 * <ul>
 *   <li>{@code socketio} — the API; {@code socketio.adapter} — the adapter SPI (rooms and fan-out)
 *       for cluster adapters; {@code socketio.protocol} — the packet model and limits that the
 *       adapter SPI and {@code SocketIoOptions} name.
 *   <li>{@code engineio}, {@code engineio.protocol} — Engine.IO options, close reasons, the session
 *       seam ({@code EngineIoListener}, {@code EngineIoConnection}) for running Socket.IO on an
 *       Engine.IO server of one's own, and the shared broadcast message.
 *   <li>{@code net}, {@code http}, {@code websocket}, {@code scheduling} — transport options and
 *       limits, extra HTTP routes on the same port, handshake headers, and the injectable clock.
 *   <li>{@code cluster.redis} — running a server in a cluster on Redis: {@code RedisLink}, the
 *       three adapters ({@code RedisAdapter}, {@code ShardedRedisAdapter}, {@code
 *       RedisStreamsAdapter}) with their options; {@code cluster} — what they share and what an
 *       adapter of one's own on another transport builds on: {@code ClusterMetrics}, the
 *       MessagePack/JSON codecs of the Node adapters, the {@code ClusterAdapter} messages and
 *       {@code ClusterAdapterBase}. Their signatures name no Lettuce, netty or msgpack-core type
 *       (Lettuce stays behind {@code RedisLink}: futures, {@code byte[]}, our own records), so
 *       those modules are required but not transitively.
 *   <li>{@code admin} — the server side of the Socket.IO Admin UI ({@code AdminUi.instrument})
 *       and its page; its signatures name only {@code socketio}, {@code net} and its own types.
 * </ul>
 *
 * <p>Not exported: {@code engineio.transport} (the transports are the sessions' business),
 * {@code cli} (the command line), and {@code auth} and {@code chat}, the application built on the
 * library. Their public types are public for {@code cli}, which wires them, not as API: {@code
 * auth} is shaped by the chat's contract ({@code spec-notes/authentication.md}: its issuer and
 * audience, its error sentences, a JSON user file, the {@code /auth/*} routes), and a token check
 * of one's own is a few lines of {@link dev.switchboard.socketio.Middleware}. Exporting a package
 * later is compatible; taking an export back is not.
 *
 * <p>Requires: Jackson (transitively: {@code JsonNode} is in the API's signatures), nimbus-jose-jwt
 * and jbcrypt for {@code auth}, {@code org.slf4j} (transitively: every line is logged through
 * slf4j-api, which an application binds to its own logging; the runnable jar binds it to
 * java.util.logging), {@code java.logging}. jbcrypt 0.4 has no module name, so it is the
 * automatic module named after its file, {@code jbcrypt}: it works on the module path, and the
 * compiler plugin warns once that such a module should not be published to a public repository.
 *
 * <p>Nothing is opened: Jackson binds only trees here ({@code JsonNode}), never our classes. An
 * application that has {@code Args.as(i, Type.class)} bind its own records, or emits them, opens
 * its package to {@code com.fasterxml.jackson.databind}.
 *
 * <p>{@code target/switchboard.jar} is the shaded application jar and runs on the class path
 * ({@code java -jar}); it carries no module descriptor. The modular jar is {@code
 * target/original-switchboard.jar}.
 */
module dev.switchboard {
  requires transitive com.fasterxml.jackson.databind;
  requires com.nimbusds.jose.jwt;
  requires jbcrypt;
  // Logging goes through SLF4J (transitive: scheduling.RateLimitedLog takes an org.slf4j.Logger
  // and Level); java.util.logging only where the runnable jar configures its backend (cli.LogFormat,
  // and the levels of HikariCP's and Lettuce's loggers).
  requires transitive org.slf4j;
  requires java.logging;
  // The cluster adapters: Lettuce (its Automatic-Module-Name) with netty's thread factory, and
  // msgpack-core, which has no module name either (the automatic module msgpack.core).
  requires lettuce.core;
  requires io.netty.common;
  requires msgpack.core;
  // Storage: JDBC, the pool, and the two drivers (loaded by DriverManager, never named in code).
  requires java.sql;
  requires com.zaxxer.hikari;
  requires org.postgresql.jdbc;
  requires org.xerial.sqlitejdbc;

  exports dev.switchboard.scheduling;
  exports dev.switchboard.http;
  exports dev.switchboard.websocket;
  exports dev.switchboard.net;
  exports dev.switchboard.engineio.protocol;
  exports dev.switchboard.engineio;
  exports dev.switchboard.socketio.protocol;
  exports dev.switchboard.socketio.adapter;
  exports dev.switchboard.socketio;
  exports dev.switchboard.cluster;
  exports dev.switchboard.cluster.redis;
  exports dev.switchboard.admin;
}
