/**
 * Redis for the cluster adapters: the connection, and each Redis adapter's messages and names.
 *
 * <ul>
 *   <li>{@link dev.switchboard.cluster.redis.RedisLink}: a small, binary-safe, asynchronous
 *       connection over Lettuce (publish and sharded publish, subscriptions to channels, patterns
 *       and sharded channels, {@code PUBSUB NUMSUB}/{@code SHARDNUMSUB}, the stream and key
 *       commands of the streams adapter), which fails commands at once while Redis is away,
 *       reconnects and re-subscribes by itself, and logs one line per outage.
 *   <li>{@link dev.switchboard.cluster.redis.RedisAdapter}: the classic adapter, wire-compatible
 *       with {@code @socket.io/redis-adapter} 8.3, and its {@link
 *       dev.switchboard.cluster.redis.RedisAdapterOptions} ({@code key}, {@code requestsTimeout},
 *       {@code publishOnSpecificResponseChannel}, bounds); {@code RedisAdapter.factory(link)} is
 *       the {@code AdapterFactory} a server takes.
 *   <li>The classic {@code @socket.io/redis-adapter} 8.3's messages: {@link
 *       dev.switchboard.cluster.redis.ClassicCodec} between bytes and {@link
 *       dev.switchboard.cluster.redis.ClassicBroadcast}, {@link
 *       dev.switchboard.cluster.redis.ClassicRequest} (types 0–7, {@link
 *       dev.switchboard.cluster.redis.ClassicRequestType}) and {@link
 *       dev.switchboard.cluster.redis.ClassicResponse}; {@link
 *       dev.switchboard.cluster.redis.ClassicChannels}.
 *   <li>Its sharded variant: {@link dev.switchboard.cluster.redis.ShardedRedisAdapter} (the adapter,
 *       {@code factory(link, options)} with {@link dev.switchboard.cluster.redis.ShardedRedisAdapterOptions}, on {@link
 *       dev.switchboard.cluster.ClusterAdapterBase}); {@link dev.switchboard.cluster.redis.ShardedCodec}
 *       between bytes and {@link dev.switchboard.cluster.ClusterMessage}s; {@link
 *       dev.switchboard.cluster.redis.ShardedChannels} and {@link
 *       dev.switchboard.cluster.redis.SubscriptionMode}.
 *   <li>{@code @socket.io/redis-streams-adapter} 0.3.1: {@link
 *       dev.switchboard.cluster.redis.StreamsCodec} (stream entries, MessagePack pub/sub, {@link
 *       dev.switchboard.cluster.redis.PersistedSession}) and {@link
 *       dev.switchboard.cluster.redis.StreamsNames} (streams, channels, session keys, offsets).
 * </ul>
 *
 * <pre>{@code
 * RedisLink link = RedisLink.connect("redis://127.0.0.1:6379");          // one per server
 * SocketIoServer io = new SocketIoServer(SocketIoOptions.builder()
 *     .adapter(RedisAdapter.factory(link)).build());                      // every namespace on Redis
 * // ... io.close(); link.close();
 *
 * // What the adapter does with the codecs, in short:
 * ClassicChannels channels = new ClassicChannels("socket.io", "/");
 * ClassicCodec codec = new ClassicCodec();
 * link.publish(channels.broadcastChannel(opts.rooms()), codec.encode(new ClassicBroadcast(uid, packet, opts)));
 * link.psubscribe((channel, bytes) -> executor.execute(() -> {
 *   try {
 *     ClassicBroadcast b = codec.decodeBroadcast(bytes);
 *     if (!b.uid().equals(uid)) deliver(b);
 *   } catch (ClusterMessageException e) {
 *     dropped.increment();
 *   }
 * }), channels.broadcastPattern());
 * }</pre>
 *
 * <p>Threads: the codecs and names are pure and thread-safe. Lettuce's own event loops ({@code
 * switchboard-redis-*}) deliver messages and complete futures; nothing of the application runs
 * there (spec-notes/threading.md). What goes over the link is described in spec-notes/cluster.md.
 */
package dev.switchboard.cluster.redis;
