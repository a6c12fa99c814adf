package io.tokman.token;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.google.crypto.tink.subtle.Hkdf;
import io.tokman.config.InvalidSettingException;
import io.tokman.github.AppKeys;

/**
 * Seals stored tokens with AES-256-GCM (the JDK's, a random 96-bit nonce per token from
 * one shared {@link SecureRandom}), bound to their row's scope as associated data, under
 * a data key the database does not hold: derived with HKDF (Tink's) from the App's
 * private key (the default, which needs no new secret: whoever holds the App key could
 * mint tokens anyway), or from the file {@code tokman.token.encryption-key} names. A
 * sealed token is the nonce, the ciphertext and the tag, in Base64, and its row records
 * the id of its key. A key derived from each App key held opens tokens, so rotating the
 * App key loses none while the old key is held; {@link StoredTokenUpkeep} seals them
 * again under the current key. A token under a key no longer held does not open: it is
 * treated as missing.
 *
 * <p>
 * Not Tink's AEAD: it makes a SecureRandom for each thread it meets, looking up Conscrypt
 * by reflection each time, and a request's virtual thread is new each time, so each seal
 * paid for both and pinned its carrier while another thread loaded the same class.
 */
final class TokenCipher {

	private static final String PURPOSE = "stored token encryption, AES-256-GCM, v1";

	private static final int KEY_LENGTH = 32;

	private static final int NONCE_LENGTH = 12;

	private static final int TAG_BITS = 128;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final AppKeys appKeys;

	private final byte[] fileKey;

	/** The data keys, made again only when the App's keys change. */
	private volatile Keys keys;

	TokenCipher(AppKeys appKeys, Path keyFile) {
		this.appKeys = appKeys;
		this.fileKey = (keyFile != null) ? derive(read(keyFile)) : null;
	}

	/** The token sealed under the current key, with that key's id. */
	Sealed seal(String scope, String token) {
		DataKey key = keys().get(0);
		byte[] plain = token.getBytes(StandardCharsets.UTF_8);
		byte[] nonce = new byte[NONCE_LENGTH];
		RANDOM.nextBytes(nonce);
		byte[] sealed = new byte[NONCE_LENGTH + plain.length + TAG_BITS / 8];
		System.arraycopy(nonce, 0, sealed, 0, NONCE_LENGTH);
		try {
			aes(Cipher.ENCRYPT_MODE, key, sealed, scope).doFinal(plain, 0, plain.length, sealed, NONCE_LENGTH);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM failed", ex);
		}
		return new Sealed(key.id(), Base64.getEncoder().encodeToString(sealed));
	}

	/**
	 * The token sealed under the key of this id, or null if that key is not held or the
	 * sealed text does not open (altered, or moved from another row); a token stored
	 * before tokens were sealed (no key id) as it is.
	 */
	String open(String keyId, String scope, String sealed) {
		if (sealed == null || keyId == null) {
			return sealed;
		}
		DataKey key = byId(keys(), keyId);
		if (key == null) {
			return null;
		}
		try {
			byte[] bytes = Base64.getDecoder().decode(sealed);
			if (bytes.length < NONCE_LENGTH + TAG_BITS / 8) {
				return null;
			}
			return new String(aes(Cipher.DECRYPT_MODE, key, bytes, scope).doFinal(bytes, NONCE_LENGTH,
					bytes.length - NONCE_LENGTH), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return null;
		}
	}

	/** The id of the key tokens are sealed under now. */
	String currentKey() {
		return keys().get(0).id();
	}

	/** The ids of the keys held but not current: tokens under them are sealed again. */
	List<String> retiredKeys() {
		List<DataKey> keys = keys();
		return keys.stream().map(DataKey::id).filter((id) -> !id.equals(keys.get(0).id())).distinct().toList();
	}

	/**
	 * The data keys, the current one first: the key file's, if any, then one derived from
	 * each App key held, the signing key's first.
	 */
	private List<DataKey> keys() {
		List<byte[]> derived = this.appKeys.derive(PURPOSE, KEY_LENGTH);
		Keys last = this.keys;
		if (last != null && last.derived() == derived) {
			return last.keys();
		}
		List<DataKey> keys = new ArrayList<>();
		if (this.fileKey != null) {
			keys.add(DataKey.of(this.fileKey));
		}
		derived.forEach((key) -> keys.add(DataKey.of(key)));
		this.keys = new Keys(derived, List.copyOf(keys));
		return this.keys.keys();
	}

	private static DataKey byId(List<DataKey> keys, String id) {
		return keys.stream().filter((key) -> key.id().equals(id)).findFirst().orElse(null);
	}

	/** AES-GCM under the key, with the nonce the sealed bytes begin with. */
	private static Cipher aes(int mode, DataKey key, byte[] sealed, String scope) throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(mode, new SecretKeySpec(key.key(), "AES"), new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_LENGTH));
		cipher.updateAAD(scope.getBytes(StandardCharsets.UTF_8));
		return cipher;
	}

	private static byte[] derive(byte[] secret) {
		try {
			return Hkdf.computeHkdf("HMACSHA256", secret, "tokman".getBytes(StandardCharsets.US_ASCII),
					PURPOSE.getBytes(StandardCharsets.UTF_8), KEY_LENGTH);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The JVM cannot compute HMAC-SHA256", ex);
		}
	}

	private static byte[] read(Path file) {
		byte[] secret;
		try {
			secret = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidSettingException("tokman.token.encryption-key: cannot read " + file.toAbsolutePath(),
					"Point it at a file readable by tokman's user only, holding at least 32 random bytes "
							+ "(openssl rand -base64 32), or unset it to derive the key from the App's private key.");
		}
		if (secret.length < KEY_LENGTH) {
			throw new InvalidSettingException(
					"tokman.token.encryption-key: " + file.toAbsolutePath() + " holds " + secret.length
							+ " bytes; at least 32 are needed",
					"Write at least 32 random bytes to it: openssl rand -base64 32.");
		}
		return secret;
	}

	@Override
	public String toString() {
		return "TokenCipher[" + ((this.fileKey != null) ? "key file" : "derived from the App's key") + "]";
	}

	/** A sealed token and the id of its key. */
	record Sealed(String keyId, String text) {

		@Override
		public String toString() {
			return "Sealed[" + this.keyId + "]";
		}

	}

	/** A data key and its id: the first 8 bytes of its SHA-256 digest, in hex. */
	private record DataKey(String id, byte[] key) {

		static DataKey of(byte[] key) {
			try {
				byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
				return new DataKey(HexFormat.of().formatHex(digest, 0, 8), key);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public String toString() {
			return "DataKey[" + this.id + "]";
		}

	}

	/** The data keys, the current one first, and the secrets they were made from. */
	private record Keys(List<byte[]> derived, List<DataKey> keys) {

	}

}
