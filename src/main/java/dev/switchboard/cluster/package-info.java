/**
 * What every cluster adapter shares: the wire codecs of the Node adapters we interoperate with and
 * the error type of a message from another node that cannot be read. Depends on {@code socketio}
 * and below, never on {@code storage}, {@code auth}, {@code chat} or {@code cli}.
 *
 * <ul>
 *   <li>{@link dev.switchboard.cluster.NotepackCodec}: MessagePack exactly as {@code notepack.io}
 *       3.0.x writes and reads it ({@code @socket.io/redis-adapter} 8.3's codec), between Jackson
 *       trees and bytes, with limits for hostile peers.
 *   <li>{@link dev.switchboard.cluster.ClusterMessageException}: every message that cannot be
 *       read or written; the adapters drop and count it.
 * </ul>
 *
 * <p>The message formats of {@code @socket.io/redis-adapter}, its sharded variant and
 * {@code @socket.io/redis-streams-adapter}, and the notepack mapping table, are in
 * spec-notes/cluster.md. Redis itself is reached through {@link dev.switchboard.cluster.redis}.
 */
package dev.switchboard.cluster;
