package dev.switchboard.chat;

/**
 * A valid chat room name, and the adapter rooms that names and users map to (chat.md §Rooms).
 * Immutable; any thread.
 *
 * <p>User-chosen names live under {@link #ROOM_PREFIX} and users' personal rooms under
 * {@link #USER_PREFIX}. Because a name can contain neither ':' nor upper case, no client input can
 * ever address a personal room or a socket's own id-room.
 */
final class RoomName implements Comparable<RoomName> {
  static final String INVALID = "Invalid room name";
  static final String ROOM_PREFIX = "room:";
  static final String USER_PREFIX = "user:";
  static final int MAX_LENGTH = 32;
  /** chat.md §Rooms: every socket joins it on connection. */
  static final RoomName GENERAL = new RoomName("general");

  private final String name;

  private RoomName(String name) {
    this.name = name;
  }

  /** The name a user typed, trimmed and lower-cased, or a refusal with {@link #INVALID}. */
  static RoomName parse(String raw) throws ChatRefusal {
    String s = JsWhitespace.trim(raw);
    if (s.isEmpty() || s.length() > MAX_LENGTH) throw new ChatRefusal(INVALID);
    // ASCII-only lower-casing: Locale-aware rules would turn the Kelvin sign (U+212A) into 'k' and
    // let a non-ASCII name pass as an ASCII one; here anything outside A-Z stays and is refused.
    char[] chars = s.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (c >= 'A' && c <= 'Z') chars[i] = (char) (c + ('a' - 'A'));
    }
    if (!isLetterOrDigit(chars[0])) throw new ChatRefusal(INVALID);
    for (char c : chars) {
      if (!isLetterOrDigit(c) && c != '-' && c != '_') throw new ChatRefusal(INVALID);
    }
    return new RoomName(new String(chars));
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  /** The chat room of an adapter room name, or null when it is a personal or id-room. */
  static RoomName fromAdapterRoom(String adapterRoom) {
    if (!adapterRoom.startsWith(ROOM_PREFIX)) return null;
    return new RoomName(adapterRoom.substring(ROOM_PREFIX.length()));
  }

  /** The adapter room every connection of {@code userId} is in. */
  static String personalRoom(String userId) {
    return USER_PREFIX + userId;
  }

  String name() {
    return name;
  }

  String adapterRoom() {
    return ROOM_PREFIX + name;
  }

  @Override
  public int compareTo(RoomName other) {
    return name.compareTo(other.name);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RoomName r && r.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
