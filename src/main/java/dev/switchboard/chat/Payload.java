package dev.switchboard.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A client event's payload: a JSON object from which only the named fields are read, each with
 * its type checked (chat.md §Client → server). Any other field, {@code userId}, {@code username}
 * and {@code from} included, is never looked at. Immutable; any thread.
 */
final class Payload {
  static final String NOT_AN_OBJECT = "Invalid payload: expected an object";

  private final ObjectNode object;

  private Payload(ObjectNode object) {
    this.object = object;
  }

  /** The first event argument as a payload; anything but a JSON object is refused. */
  static Payload of(JsonNode argument) throws ChatRefusal {
    if (argument instanceof ObjectNode o) return new Payload(o);
    throw new ChatRefusal(NOT_AN_OBJECT);
  }

  static String notAString(String field) {
    return field + " must be a string";
  }

  static String notABoolean(String field) {
    return field + " must be a boolean";
  }

  /** A required string field: absent, null or any other type is "{@code <field>} must be a string". */
  String string(String field) throws ChatRefusal {
    JsonNode v = object.get(field);
    if (v == null || !v.isTextual()) throw new ChatRefusal(notAString(field));
    return v.textValue();
  }

  /**
   * An optional string: {@code absent} when the field is missing; an explicit null or any other
   * type is "{@code <field>} must be a string", as for {@link #string}.
   */
  String stringOr(String field, String absent) throws ChatRefusal {
    return object.has(field) ? string(field) : absent;
  }

  /**
   * An optional string: null when the field is missing. An explicit null is a wrong type (as for
   * {@link #booleanOr}): "{@code <field>} must be a string".
   */
  String optionalString(String field) throws ChatRefusal {
    JsonNode v = object.get(field);
    if (v == null) return null;
    if (!v.isTextual()) throw new ChatRefusal(notAString(field));
    return v.textValue();
  }

  static String notANumber(String field) {
    return field + " must be a number";
  }

  static String notInRange(String field, int min, int max) {
    return field + " must be a whole number from " + min + " to " + max;
  }

  /**
   * An optional whole number from {@code min} to {@code max}: {@code absent} when the field is
   * missing; any other type (null included) is "{@code <field>} must be a number", and a number
   * out of range or with a fraction "{@code <field>} must be a whole number from min to max".
   */
  int intOr(String field, int absent, int min, int max) throws ChatRefusal {
    JsonNode v = object.get(field);
    if (v == null) return absent;
    if (!v.isNumber()) throw new ChatRefusal(notANumber(field));
    // 2.0 is a whole number (JSON does not tell them apart, nor does JavaScript); 2.5 is not.
    if (!v.canConvertToExactIntegral() || !v.canConvertToInt()) throw new ChatRefusal(notInRange(field, min, max));
    int n = v.intValue();
    if (n < min || n > max) throw new ChatRefusal(notInRange(field, min, max));
    return n;
  }

  /**
   * An optional boolean: {@code absent} when the field is missing. An explicit null is a wrong
   * type, not a missing field, so it is refused like a string or a number.
   */
  boolean booleanOr(String field, boolean absent) throws ChatRefusal {
    JsonNode v = object.get(field);
    if (v == null) return absent;
    if (!v.isBoolean()) throw new ChatRefusal(notABoolean(field));
    return v.booleanValue();
  }
}
