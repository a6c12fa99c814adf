package io.tokman.github;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import com.google.crypto.tink.subtle.Hkdf;
import io.tokman.config.InvalidSettingException;

/**
 * One of the App's private keys, known by the fingerprint GitHub shows for it in the
 * App's settings: {@code SHA256:} and the Base64 SHA-256 digest of its public key (what
 * {@code openssl rsa -pubout -outform DER | openssl sha256 -binary | base64} prints).
 * Logs, metrics and errors name a key by its fingerprint and file, never by its content.
 *
 * @param fingerprint the public key's SHA-256 fingerprint
 * @param file where it was read from; null for a key given in code
 * @param key the private key
 */
record AppKey(String fingerprint, Path file, RSAPrivateKey key) {

	/** Reads the key in the file, or fails naming the file and what is wrong with it. */
	static AppKey read(Path file) {
		return of(PrivateKeys.read(file), file);
	}

	static AppKey of(RSAPrivateKey key, Path file) {
		return new AppKey(fingerprint(key, file), file, key);
	}

	/** The fingerprint of the key's public half, as GitHub shows it. */
	private static String fingerprint(RSAPrivateKey key, Path file) {
		if (!(key instanceof RSAPrivateCrtKey crt)) {
			throw new InvalidSettingException(
					"GITHUB_APP_PRIVATE_KEY: cannot use " + file + ": the key lacks its public exponent",
					"Use the PEM file GitHub generated for the App, which holds the whole key.");
		}
		try {
			byte[] encoded = KeyFactory.getInstance("RSA")
				.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()))
				.getEncoded();
			return "SHA256:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(encoded));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The JVM lacks RSA or SHA-256", ex);
		}
	}

	/** A secret derived from the key with HKDF-SHA256, {@code purpose} as its info. */
	byte[] derive(String purpose, int length) {
		try {
			return Hkdf.computeHkdf("HMACSHA256", this.key.getEncoded(), "tokman".getBytes(StandardCharsets.US_ASCII),
					purpose.getBytes(StandardCharsets.UTF_8), length);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The JVM cannot compute HMAC-SHA256", ex);
		}
	}

	/** What a log line says of it: the fingerprint and the file. */
	String describe() {
		return (this.file != null) ? this.fingerprint + " (" + this.file.getFileName() + ")" : this.fingerprint;
	}

	@Override
	public String toString() {
		return "AppKey[" + describe() + "]";
	}

}
