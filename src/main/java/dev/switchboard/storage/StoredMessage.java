package dev.switchboard.storage;

/**
 * A row of {@code messages}.
 *
 * @param id the id the application gave it ({@link MessageIds}): unique across restarts and
 *     nodes, ordered by time (spec-notes/storage.md §Ids)
 * @param conversation the room or the private pair
 * @param senderId the sender's user id
 * @param senderName the sender's name when it was sent
 * @param text the text as given
 * @param sentAtMillis epoch milliseconds
 * @param recipientName for a private message, the recipient's name when it was sent (null when
 *     not known: a room message, or a row of schema v1)
 */
public record StoredMessage(long id, Conversation conversation, String senderId, String senderName, String text,
    long sentAtMillis, String recipientName) {

  /** A message without a recipient name (a room message). */
  public StoredMessage(long id, Conversation conversation, String senderId, String senderName, String text,
      long sentAtMillis) {
    this(id, conversation, senderId, senderName, text, sentAtMillis, null);
  }

  /** Checks what the database cannot store (NUL, unpaired surrogates) before any statement. */
  public StoredMessage {
    if (conversation == null) throw new IllegalArgumentException("conversation is required");
    StoredText.check("sender id", senderId);
    StoredText.check("sender name", senderName);
    StoredText.check("message text", text);
    if (recipientName != null) StoredText.check("recipient name", recipientName);
  }

  /**
   * For a private message, the other side's user id as seen from the sender (the sender's own for
   * a note to oneself); null for a room message.
   */
  public String recipientId() {
    if (!(conversation instanceof Conversation.Private p)) return null;
    return p.low().equals(senderId) ? p.high() : p.low();
  }
}
