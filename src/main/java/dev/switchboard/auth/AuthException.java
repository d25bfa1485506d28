package dev.switchboard.auth;

/** A token or session was refused; {@link #failure()} says which way, in the contract's words. */
public final class AuthException extends Exception {
  private final AuthFailure failure;

  public AuthException(AuthFailure failure) {
    super(failure.message(), null, false, false);
    this.failure = failure;
  }

  public AuthFailure failure() {
    return failure;
  }
}
