package io.omninode.bridge.adapter.validation;

/** What a decoded JSON string must be to be stored unchanged, in a text column or in jsonb. */
final class JsonStrings {

  private JsonStrings() {
  }

  /**
   * Null when PostgreSQL stores the text unchanged, else why not: NUL (text refuses it, jsonb refuses
   * its escape) and an unpaired UTF-16 surrogate (from an escape such as {@code \ud800}: not Unicode
   * text; jsonb refuses it, and a text column would get '?').
   */
  static String problem(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      String problem = problemAt(text.charAt(i), i + 1 < text.length() ? text.charAt(i + 1) : 0,
          i > 0 ? text.charAt(i - 1) : 0);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  static String problem(char[] chars, int offset, int length) {
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      String problem = problemAt(chars[i], i + 1 < end ? chars[i + 1] : 0, i > offset ? chars[i - 1] : 0);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String problemAt(char c, char next, char previous) {
    if (c == 0) {
      return "must not contain NUL characters";
    }
    if (Character.isHighSurrogate(c) && !Character.isLowSurrogate(next)) {
      return "must be valid Unicode: a high surrogate (\\u" + Integer.toHexString(c) + ") without its pair";
    }
    if (Character.isLowSurrogate(c) && !Character.isHighSurrogate(previous)) {
      return "must be valid Unicode: a low surrogate (\\u" + Integer.toHexString(c) + ") without its pair";
    }
    return null;
  }
}
