/**
 * What every cluster adapter shares: the wire codecs of the Node adapters we interoperate with, the
 * messages of socket.io-adapter's {@code ClusterAdapter} as records, the error type of a
 * message from another node that cannot be read, and the {@code ClusterAdapter} logic built on
 * them. The codecs and records are pure: no Redis, no threads. Depends on {@code
 * socketio} and below (the packet model of {@code socketio.protocol}), never on {@code storage},
 * {@code auth}, {@code chat} or {@code cli}.
 *
 * <ul>
 *   <li>{@link dev.switchboard.cluster.NotepackCodec}: MessagePack between Jackson trees and bytes
 *       exactly as {@code notepack.io} 3.0.x (the classic and sharded Redis adapters) or, in its
 *       {@code MSGPACK_JS} dialect, {@code @msgpack/msgpack} 2.8 (the streams adapter) writes and
 *       reads it, with limits for hostile peers.
 *   <li>{@link dev.switchboard.cluster.ClusterJson}: JSON as {@code JSON.stringify} writes it and
 *       {@code JSON.parse} reads it, with the same limits: the adapters' other encoding.
 *   <li>{@link dev.switchboard.cluster.ClusterMessage} and {@link
 *       dev.switchboard.cluster.ClusterMessageType}: the ClusterAdapter messages (types 1–13) of
 *       the sharded and streams adapters, one record per shape.
 *   <li>What the adapters' messages share: {@link dev.switchboard.cluster.WireOptions} (rooms,
 *       except, {@link dev.switchboard.cluster.WireFlags}), {@link
 *       dev.switchboard.cluster.SocketDetails} and {@link dev.switchboard.cluster.WireHandshake}
 *       (a remote socket in a fetchSockets answer); the Socket.IO packet inside a broadcast is a
 *       {@link dev.switchboard.socketio.protocol.SocketIoPacket}.
 *   <li>{@link dev.switchboard.cluster.WireFields}: reading a decoded tree field by field with its
 *       type checked, for every codec.
 *   <li>{@link dev.switchboard.cluster.ClusterMessageException}: every message that cannot be
 *       read or written, with what was wrong and where; the adapters drop and count it.
 *   <li>{@link dev.switchboard.cluster.ClusterAdapterBase}: socket.io-adapter's {@code
 *       ClusterAdapter} logic over the records — what each operation publishes, what each
 *       received message does, requests and their answers, timeouts and limits — for the adapters
 *       that speak its protocol (sharded Redis, Redis streams), which only move bytes. Not pure:
 *       it is an adapter, and hands every message to the namespace's worker pool.
 *   <li>{@link dev.switchboard.cluster.ClusterMetrics}: what the cluster adapters of a server
 *       published, received, dropped (and why), which requests timed out, and the transport's outages.
 * </ul>
 *
 * <pre>{@code
 * ClusterMessage m = new ShardedCodec().decode(bytes);       // dev.switchboard.cluster.redis
 * if (m instanceof ClusterMessage.Broadcast b && !b.uid().equals(myUid)) deliver(b.packet(), b.opts());
 * }</pre>
 *
 * <p>Records are immutable except the Jackson trees they hold (event arguments, ack values,
 * socket data): a decoded message's trees are its own, built for it and shared with nothing else;
 * read them, and copy one before changing it.
 *
 * <p>The message formats of {@code @socket.io/redis-adapter}, its sharded variant and
 * {@code @socket.io/redis-streams-adapter}, the MessagePack mapping tables and what decoding
 * checks are in spec-notes/cluster.md. Redis itself, and each adapter's codec and channel names,
 * are in {@link dev.switchboard.cluster.redis}.
 */
package dev.switchboard.cluster;
