package dev.switchboard.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The {@code messages} table: room and private history, with paging and retention. Every
 * statement is parameterised.
 *
 * <pre>{@code
 * MessageRepository messages = db.messages();
 * MessageIds ids = messages.claimIds(clock::currentTimeMillis, now);   // once, at start
 * messages.append(new StoredMessage(ids.next(), Conversation.room("general"), userId, "Alice", "hello", now));
 * List<StoredMessage> last = messages.latest(Conversation.room("general"), 50);     // oldest first
 * List<StoredMessage> older = messages.before(Conversation.room("general"), last.get(0).id(), 50);
 * messages.applyRetention(Retention.DEFAULT, now);  // 10 000 per conversation, 30 days
 * }</pre>
 *
 * <p>Threading: thread-safe; blocking JDBC — a worker, never an I/O thread or a session's serial
 * executor (see {@link Database}): the chat writes history off the delivery path.
 */
public final class MessageRepository {
  /** The largest page {@link #latest} and {@link #before} return. */
  public static final int MAX_PAGE = 1000;

  private static final String COLUMNS =
      "id, room, pair_low, pair_high, sender_id, sender_name, body, sent_at, recipient_name";

  /**
   * Ranks each conversation's messages newest first and deletes those ranked beyond the bound.
   * PARTITION BY treats the NULL columns of the other kind as equal, so each room and each pair
   * is one partition.
   */
  private static final String DELETE_BEYOND = "DELETE FROM messages WHERE id IN (SELECT id FROM ("
      + "SELECT id, ROW_NUMBER() OVER (PARTITION BY room, pair_low, pair_high ORDER BY id DESC) AS newer"
      + " FROM messages) ranked WHERE newer > ?)";

  private final Database db;

  MessageRepository(Database db) {
    this.db = db;
  }

  /**
   * Claims this node's id space: draws a new node number (one row of {@code message_id_claims};
   * every start takes the next one) and reads the largest stored id, so that the returned
   * {@link MessageIds} gives ids unique across nodes and restarts and above every stored one
   * (spec-notes/storage.md §Ids). {@code clockMillis} times the ids; {@code nowMillis} is recorded.
   */
  public MessageIds claimIds(LongSupplier clockMillis, long nowMillis) {
    return db.transaction("claim a message id node number", c -> {
      long claim;
      try (PreparedStatement st = c.prepareStatement(
          "INSERT INTO message_id_claims (claimed_at) VALUES (?) RETURNING id")) {
        st.setLong(1, nowMillis);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          claim = rs.getLong(1);
        }
      }
      // Only the newest claim matters: the counter itself (a sequence, or AUTOINCREMENT's
      // sqlite_sequence) never goes back, so the older rows can go.
      try (PreparedStatement st = c.prepareStatement("DELETE FROM message_id_claims WHERE id < ?")) {
        st.setLong(1, claim);
        st.executeUpdate();
      }
      long floor;
      try (PreparedStatement st = c.prepareStatement("SELECT MAX(id) FROM messages");
          ResultSet rs = st.executeQuery()) {
        rs.next();
        floor = Math.max(0, rs.getLong(1));
      }
      return new MessageIds((int) Math.floorMod(claim - 1, (long) MessageIds.NODES), floor, clockMillis);
    });
  }

  /** Stores one message with the id it carries. */
  public void append(StoredMessage message) {
    appendAll(List.of(message));
  }

  /**
   * Stores messages with the ids they carry, all in one transaction: all of them or, on a
   * failure, none. An id already stored is a {@link StorageException} (and nothing is stored).
   */
  public void appendAll(List<StoredMessage> batch) {
    if (batch.isEmpty()) return;
    db.transaction("store messages", c -> {
      try (PreparedStatement st = c.prepareStatement(
          "INSERT INTO messages (id, room, pair_low, pair_high, sender_id, sender_name, recipient_name, body, sent_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (StoredMessage m : batch) {
          st.setLong(1, m.id());
          if (m.conversation() instanceof Conversation.Room r) {
            st.setString(2, r.name());
            st.setNull(3, Types.VARCHAR);
            st.setNull(4, Types.VARCHAR);
          } else {
            Conversation.Private p = (Conversation.Private) m.conversation();
            st.setNull(2, Types.VARCHAR);
            st.setString(3, p.low());
            st.setString(4, p.high());
          }
          st.setString(5, m.senderId());
          st.setString(6, m.senderName());
          if (m.recipientName() == null) st.setNull(7, Types.VARCHAR); else st.setString(7, m.recipientName());
          st.setString(8, m.text());
          st.setLong(9, m.sentAtMillis());
          st.addBatch();
        }
        st.executeBatch();
      }
      return null;
    });
  }

  /** The newest {@code limit} messages of the conversation, oldest first: what opening it shows. */
  public List<StoredMessage> latest(Conversation conversation, int limit) {
    return before(conversation, Long.MAX_VALUE, limit);
  }

  /**
   * The {@code limit} messages just older than message {@code beforeId} (that is, with a smaller
   * id), oldest first: the page above the one shown. Empty at the start of the history. Ask for
   * one more than shown to learn whether there is a page beyond.
   */
  public List<StoredMessage> before(Conversation conversation, long beforeId, int limit) {
    if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE + ", not " + limit);
    String where = conversation instanceof Conversation.Room ? "room = ?" : "pair_low = ? AND pair_high = ?";
    return db.read("read history", c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM messages WHERE " + where
          + " AND id < ? ORDER BY id DESC LIMIT ?")) {
        int i = 1;
        if (conversation instanceof Conversation.Room r) {
          st.setString(i++, r.name());
        } else {
          Conversation.Private p = (Conversation.Private) conversation;
          st.setString(i++, p.low());
          st.setString(i++, p.high());
        }
        st.setLong(i++, beforeId);
        st.setInt(i, limit);
        List<StoredMessage> page = new ArrayList<>(Math.min(limit, 64));
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) page.add(row(rs));
        }
        Collections.reverse(page); // newest-first from the index, oldest-first for the reader
        return page;
      }
    });
  }

  /**
   * Retention by count: keeps the newest {@code keep} messages of every room and every private
   * conversation and deletes the rest; returns how many were deleted.
   */
  public int deleteBeyond(int keep) {
    if (keep < 0) throw new IllegalArgumentException("keep must not be negative");
    return db.read("apply message retention", c -> {
      try (PreparedStatement st = c.prepareStatement(DELETE_BEYOND)) {
        st.setInt(1, keep);
        return st.executeUpdate();
      }
    });
  }

  /** Retention by age: deletes every message sent before {@code cutoffMillis}; returns how many. */
  public int deleteOlderThan(long cutoffMillis) {
    return db.read("apply message retention", c -> {
      try (PreparedStatement st = c.prepareStatement("DELETE FROM messages WHERE sent_at < ?")) {
        st.setLong(1, cutoffMillis);
        return st.executeUpdate();
      }
    });
  }

  /**
   * Both retention rules in one transaction: messages older than {@code retention.maxAge()} at
   * {@code nowMillis}, then all but the newest {@code keepPerConversation} of each conversation.
   * Returns how many were deleted. Meant for a periodic job on a worker (the chat's slice decides
   * how often), not for the send path.
   */
  public int applyRetention(Retention retention, long nowMillis) {
    long cutoff = nowMillis - retention.maxAge().toMillis();
    return db.transaction("apply message retention", c -> {
      int deleted;
      try (PreparedStatement st = c.prepareStatement("DELETE FROM messages WHERE sent_at < ?")) {
        st.setLong(1, cutoff);
        deleted = st.executeUpdate();
      }
      try (PreparedStatement st = c.prepareStatement(DELETE_BEYOND)) {
        st.setInt(1, retention.keepPerConversation());
        deleted += st.executeUpdate();
      }
      return deleted;
    });
  }

  private static StoredMessage row(ResultSet rs) throws SQLException {
    String room = rs.getString(2);
    Conversation conversation = room != null ? new Conversation.Room(room)
        : new Conversation.Private(rs.getString(3), rs.getString(4));
    return new StoredMessage(rs.getLong(1), conversation, rs.getString(5), rs.getString(6), rs.getString(7),
        rs.getLong(8), rs.getString(9));
  }
}
