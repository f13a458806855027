package io.omninode.bridge.adapter.validation;

/** An event that breaks the contract; names the field and the rule it broke. */
public final class ValidationException extends RuntimeException {

  private final String field;
  private final String rule;

  public ValidationException(String field, String rule, String message) {
    super(field + ": " + message, null, false, false);
    this.field = field;
    this.rule = rule;
  }

  public String field() {
    return field;
  }

  public String rule() {
    return rule;
  }
}
