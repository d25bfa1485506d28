/**
 * Redis for the cluster adapters: {@link dev.switchboard.cluster.redis.RedisLink}, a small,
 * binary-safe, asynchronous connection over Lettuce (publish and sharded publish, subscriptions to
 * channels, patterns and sharded channels, {@code PUBSUB NUMSUB}/{@code SHARDNUMSUB}, the stream
 * and key commands of the streams adapter), which fails commands at once while Redis is away,
 * reconnects and re-subscribes by itself, and logs one line per outage.
 *
 * <p>Threads: Lettuce's own event loops ({@code switchboard-redis-*}) deliver messages and
 * complete futures; nothing of the application runs there (spec-notes/threading.md). What goes
 * over the link is described in spec-notes/cluster.md.
 */
package dev.switchboard.cluster.redis;
