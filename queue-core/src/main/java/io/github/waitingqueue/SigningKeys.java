package io.github.waitingqueue;

import io.github.waitingqueue.internal.KeyAccess;
import io.github.waitingqueue.internal.Signer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HMAC-SHA256 keys that sign waiting and reservation tokens. One key is current and signs new
 * tokens; retired keys are still accepted when verifying, so keys can be rotated without logging
 * anybody out: add the new key as current, keep the old one as retired for as long as tokens live,
 * then drop it.
 *
 * <p>There is no default key. A production service passes its own secret (at least 32 bytes); for
 * local experiments {@link #developmentOnly()} exists and logs a warning every time it is used.
 */
public final class SigningKeys {
  /** Shortest accepted secret, in bytes (256 bits, the HMAC-SHA256 block strength). */
  public static final int MIN_SECRET_BYTES = 32;
  static final int MAX_KEY_ID_LENGTH = 16;

  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
  private static final String ALGORITHM = "HmacSHA256";
  private static final String DEVELOPMENT_SECRET = "waiting-queue development key: never use in production";

  private final String currentKeyId;
  private final Map<String, SecretKeySpec> keys;
  /** One initialised Mac per key and thread: a Mac is not thread-safe, and creating one costs twice the HMAC. */
  private final Map<String, ThreadLocal<Mac>> macs = new HashMap<>();
  private final boolean development;
  private final Signer signer = new Signer() {
    @Override
    public String currentKeyId() {
      return currentKeyId;
    }

    @Override
    public byte[] sign(byte[] payload) {
      return macs.get(currentKeyId).get().doFinal(payload);
    }

    @Override
    public boolean verify(String keyId, byte[] payload, byte[] signature) {
      ThreadLocal<Mac> mac = macs.get(keyId);
      return mac != null && java.security.MessageDigest.isEqual(mac.get().doFinal(payload), signature);
    }

    @Override
    public boolean knows(String keyId) {
      return keys.containsKey(keyId);
    }
  };

  static {
    KeyAccess.grant(keys -> keys.signer);
  }

  private SigningKeys(String currentKeyId, Map<String, SecretKeySpec> keys, boolean development) {
    this.currentKeyId = currentKeyId;
    this.keys = Collections.unmodifiableMap(keys);
    this.development = development;
    for (Map.Entry<String, SecretKeySpec> key : keys.entrySet()) {
      SecretKeySpec spec = key.getValue();
      macs.put(key.getKey(), ThreadLocal.withInitial(() -> newMac(spec)));
    }
  }

  /**
   * A single current key.
   *
   * @param keyId 1 to 16 characters of {@code [A-Za-z0-9_-]}; it travels in every token
   * @param secret at least 32 bytes; copied
   * @return the keys
   * @throws IllegalArgumentException when the id or secret is invalid
   */
  public static SigningKeys of(String keyId, byte[] secret) {
    return builder().current(keyId, secret).build();
  }

  /**
   * A single current key from a text secret (its UTF-8 bytes), such as an environment variable.
   *
   * @param keyId 1 to 16 characters of {@code [A-Za-z0-9_-]}
   * @param secret at least 32 bytes once encoded as UTF-8
   * @return the keys
   * @throws IllegalArgumentException when the id or secret is invalid
   */
  public static SigningKeys ofText(String keyId, String secret) {
    if (secret == null) {
      throw new IllegalArgumentException("secret must not be null");
    }
    return of(keyId, secret.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A publicly known key for local development and tests. Anyone can forge tokens signed with it, so
   * it logs a warning when created; never use it in production.
   *
   * @return keys with the single id {@code dev}
   */
  public static SigningKeys developmentOnly() {
    LOG.warn("waiting-queue: DEVELOPMENT signing key in use; tokens can be forged by anyone. "
        + "Configure SigningKeys.of(keyId, secret) for production.");
    Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    keys.put("dev", new SecretKeySpec(DEVELOPMENT_SECRET.getBytes(StandardCharsets.UTF_8), ALGORITHM));
    return new SigningKeys("dev", keys, true);
  }

  /**
   * A builder for rotation: one current key and any number of retired ones.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The id of the key that signs new tokens.
   *
   * @return the current key id
   */
  public String currentKeyId() {
    return currentKeyId;
  }

  /**
   * Whether these are the publicly known development keys.
   *
   * @return true for {@link #developmentOnly()}
   */
  public boolean isDevelopmentOnly() {
    return development;
  }

  private static Mac newMac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "SigningKeys{current=" + currentKeyId + ", accepted=" + keys.keySet() + '}';
  }

  /** Builds {@link SigningKeys}; each call validates at once. */
  public static final class Builder {
    private String currentKeyId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the key that signs new tokens (and verifies them). Required.
     *
     * @param keyId 1 to 16 characters of {@code [A-Za-z0-9_-]}
     * @param secret at least 32 bytes; copied
     * @return this builder
     * @throws IllegalArgumentException when invalid, or when a current key is already set
     */
    public Builder current(String keyId, byte[] secret) {
      if (currentKeyId != null) {
        throw new IllegalArgumentException("a current key is already set: " + currentKeyId);
      }
      add(keyId, secret);
      currentKeyId = keyId;
      return this;
    }

    /**
     * Adds a key that is still accepted when verifying but no longer signs.
     *
     * @param keyId 1 to 16 characters of {@code [A-Za-z0-9_-]}, different from the other keys
     * @param secret at least 32 bytes; copied
     * @return this builder
     * @throws IllegalArgumentException when invalid or the id is taken
     */
    public Builder retired(String keyId, byte[] secret) {
      add(keyId, secret);
      return this;
    }

    private void add(String keyId, byte[] secret) {
      checkKeyId(keyId);
      if (keys.containsKey(keyId)) {
        throw new IllegalArgumentException("key id already used: " + keyId);
      }
      if (secret == null || secret.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException("secret of key '" + keyId + "' must be at least " + MIN_SECRET_BYTES
            + " bytes, got " + (secret == null ? "null" : secret.length + " bytes"));
      }
      keys.put(keyId, new SecretKeySpec(Arrays.copyOf(secret, secret.length), ALGORITHM));
    }

    /**
     * Builds the keys.
     *
     * @return immutable keys
     * @throws IllegalStateException when no current key was set
     */
    public SigningKeys build() {
      if (currentKeyId == null) {
        throw new IllegalStateException("a current signing key is required: call current(keyId, secret)");
      }
      return new SigningKeys(currentKeyId, new LinkedHashMap<>(keys), false);
    }
  }

  static void checkKeyId(String keyId) {
    if (keyId == null || keyId.isEmpty() || keyId.length() > MAX_KEY_ID_LENGTH) {
      throw new IllegalArgumentException("key id must be 1 to " + MAX_KEY_ID_LENGTH + " characters, got "
          + (keyId == null ? "null" : "'" + keyId + "'"));
    }
    for (int i = 0; i < keyId.length(); i++) {
      char c = keyId.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      if (!ok) {
        throw new IllegalArgumentException("key id may only hold [A-Za-z0-9_-], got '" + keyId + "'");
      }
    }
  }
}
