package io.github.waitingqueue.internal;

import io.github.waitingqueue.SigningKeys;
import java.util.function.Function;

/**
 * The door through which this package reaches a {@link SigningKeys}' signer: {@code SigningKeys} opens
 * it once, when its class initialises (so before any instance exists), and nothing else can.
 */
public final class KeyAccess {
  private static volatile Function<SigningKeys, Signer> access;

  private KeyAccess() {}

  /**
   * Called by {@code SigningKeys} alone, once.
   *
   * @param signerOf how to get the signer of a key set
   * @throws IllegalStateException on a second call
   */
  public static synchronized void grant(Function<SigningKeys, Signer> signerOf) {
    if (access != null) {
      throw new IllegalStateException("key access is already granted");
    }
    access = signerOf;
  }

  /** The signer of a key set. */
  static Signer signer(SigningKeys keys) {
    return access.apply(keys);
  }
}
