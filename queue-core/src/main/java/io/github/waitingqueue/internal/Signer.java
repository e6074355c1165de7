package io.github.waitingqueue.internal;

/** What token signing needs of {@link io.github.waitingqueue.SigningKeys}, without making it public API. */
public interface Signer {
  /** The id of the key that signs new tokens. */
  String currentKeyId();

  /** Signs with the current key. */
  byte[] sign(byte[] payload);

  /** Verifies in constant time; false for an unknown key id. */
  boolean verify(String keyId, byte[] payload, byte[] signature);

  /** Whether a key id is known (current or retired). */
  boolean knows(String keyId);
}
