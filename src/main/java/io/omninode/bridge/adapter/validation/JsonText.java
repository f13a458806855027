package io.omninode.bridge.adapter.validation;

/**
 * The text of a JSONB column's value, made of the event's own JSON text and validated: its numbers
 * keep their exact decimal text and its strings are what PostgreSQL's jsonb accepts unchanged.
 *
 * @param depth its nesting depth (1 for a flat object)
 * @param bytes the length of its UTF-8 text
 */
public record JsonText(String text, int depth, int bytes) {

  /** The empty object. */
  public static final JsonText EMPTY = new JsonText("{}", 1, 2);

  public boolean isEmpty() {
    return EMPTY.text.equals(text);
  }
}
