package io.tokman.simulator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import io.jsonwebtoken.Jwts;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Generates App keys at run time (none is kept in the source tree) and writes them as the
 * PEM files GitHub hands out (PKCS#1) or as PKCS#8.
 */
public final class TestKeys {

	private TestKeys() {
	}

	public static KeyPair generate() {
		return Jwts.SIG.RS256.keyPair().build();
	}

	/**
	 * The key's fingerprint as GitHub shows it: {@code SHA256:} and the Base64 SHA-256
	 * digest of the public key's DER form.
	 */
	public static String fingerprint(KeyPair keys) {
		try {
			return "SHA256:" + Base64.getEncoder()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded()));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Writes the PKCS#1 RSA block, the form GitHub's App settings page downloads. */
	public static Path writePkcs1(KeyPair keys, Path file) {
		return write(file, keys.getPrivate());
	}

	/** Writes the PKCS#8 block. */
	public static Path writePkcs8(KeyPair keys, Path file) {
		try {
			return write(file, new JcaPKCS8Generator(keys.getPrivate(), null).generate());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path write(Path file, Object pem) {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			writer.writeObject(pem);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			return Files.writeString(file, text.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
