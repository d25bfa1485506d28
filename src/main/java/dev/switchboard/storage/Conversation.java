package dev.switchboard.storage;

/**
 * Where a message was said: a room, or a private conversation between two users. Immutable; any
 * thread.
 *
 * <pre>{@code
 * Conversation general = Conversation.room("general");
 * Conversation dm = Conversation.between(aliceId, bobId);   // == between(bobId, aliceId)
 * }</pre>
 */
public sealed interface Conversation {
  /** A room, by its name. */
  static Room room(String name) {
    return new Room(name);
  }

  /** The private conversation of two users (in either order: it is one conversation). */
  static Private between(String userA, String userB) {
    StoredText.check("user id", userA);
    StoredText.check("user id", userB);
    return userA.compareTo(userB) <= 0 ? new Private(userA, userB) : new Private(userB, userA);
  }

  /**
   * A room's messages.
   *
   * @param name the room's name, stored as given
   */
  record Room(String name) implements Conversation {
    /** Checks the name is storable. */
    public Room {
      StoredText.check("room name", name);
    }
  }

  /**
   * The private messages between two users; {@link Conversation#between} orders the ids.
   *
   * @param low the lesser user id ({@link String#compareTo})
   * @param high the greater one (equal to {@code low} for notes to oneself)
   */
  record Private(String low, String high) implements Conversation {
    /** Checks the ids are storable and ordered. */
    public Private {
      StoredText.check("user id", low);
      StoredText.check("user id", high);
      if (low.compareTo(high) > 0) throw new IllegalArgumentException("Private(low, high): use Conversation.between");
    }
  }
}
