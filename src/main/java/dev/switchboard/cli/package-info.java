/**
 * The composition root and the command line: where every other package is wired together, and
 * nothing else depends on it. Not part of the library's API (the module does not export it).
 *
 * <ul>
 *   <li>{@link dev.switchboard.cli.Main} — {@code java -jar switchboard.jar [command] [options]}:
 *       the chat server (no command), {@code user add|list|remove}, {@code conformance
 *       engine.io|socket.io}, {@code bench-server}, {@code help}. An unknown option is refused by
 *       name with exit code 2; a port already taken is named, exit code 3.
 *   <li>{@link dev.switchboard.cli.ServerConfig} — the chat server's configuration from flags and
 *       environment variables (a flag wins over its variable, which wins over the default), every
 *       value checked at start with one clear sentence.
 *   <li>{@link dev.switchboard.cli.ChatServer} — the wiring of {@code java -jar switchboard.jar}:
 *       users, bcrypt, tokens and sessions, the Socket.IO server with the JWT middleware, the chat
 *       on {@code /}, and the HTTP routes ({@code /auth/*}, the page, {@code /healthz},
 *       {@code /metrics}).
 *   <li>{@link dev.switchboard.cli.EchoApplication} and {@code ConformanceCommand} — the servers the
 *       official engine.io-protocol and socket.io-protocol test suites expect;
 *       {@code BenchServerCommand} — the benchmark application, the twin of
 *       {@code bench/node-server.js}; {@code Metrics} — {@code GET /metrics} in the Prometheus
 *       text format; {@code UserCommand} — user administration on the data directory.
 *   <li>{@code Help} — {@code --help}, generated from one table of commands, flags, variables,
 *       defaults, endpoints and exit codes; {@code Options} — the flag parser; {@code LogFormat}
 *       — the runnable jar's one-line log records, installed by {@code Main.main} only.
 *   <li>{@code ClusterConfig} — the cluster flags the three servers share ({@code --redis-url},
 *       {@code --adapter}, {@code --redis-key}, {@code --subscription-mode}); {@code RedisCluster}
 *       — the Redis link and adapter factory they make, the {@code switchboard_cluster_*} metrics,
 *       and the wait for a Redis unreachable at start; {@code HealthCheck} — {@code GET /healthz}.
 *       Without a Redis URL no Redis class is loaded.
 * </ul>
 *
 * <pre>{@code
 * try (ChatServer chat = ChatServer.start(ServerConfig.forTests(dataDir))) {
 *   URI page = URI.create(chat.url());
 * }
 * }</pre>
 *
 * <p>Threading: commands run on the main thread, which only starts servers and waits; the servers
 * bring their own threads ({@code spec-notes/threading.md}). The Socket.IO layer always runs on the
 * system clock; the application's clock (token expiry, sessions, rate limits) is injected, a fake
 * one in tests.
 *
 * <p>Specs: the README of each official protocol suite ("Test suite": port 3000, the paths and
 * heartbeat it expects) for {@code conformance}; the Prometheus text exposition format 0.0.4 for
 * {@code /metrics}.
 *
 * <p>Depends on: every other package — {@code scheduling}, {@code http}, {@code net},
 * {@code engineio}, {@code socketio}, {@code cluster}, {@code cluster.redis}, {@code auth},
 * {@code chat}.
 */
package dev.switchboard.cli;
