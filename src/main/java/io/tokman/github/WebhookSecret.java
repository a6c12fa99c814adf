package io.tokman.github;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.tokman.config.InvalidSettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An App's webhook secret, from the file a setting names: each non-empty line a secret,
 * so that during a rotation the old and the new one both verify. The file is read again
 * when it changes; a file that cannot be read then keeps the secrets read before. Never
 * logged or printed.
 */
final class WebhookSecret {

	private static final Logger log = LoggerFactory.getLogger(WebhookSecret.class);

	private static final String PREFIX = "sha256=";

	private final Path file;

	private volatile Read read;

	private WebhookSecret(Path file, Read read) {
		this.file = file;
		this.read = read;
	}

	/** The secret in the file; one that cannot be read or holds none stops startup. */
	static WebhookSecret read(Path file, String setting) {
		Read read;
		try {
			read = Read.of(file);
		}
		catch (IOException ex) {
			throw new InvalidSettingException(setting + ": cannot read " + file.toAbsolutePath(),
					"Point it at a readable file holding the App's webhook secret, or unset it.");
		}
		if (read.secrets().isEmpty()) {
			throw new InvalidSettingException(setting + ": " + file.toAbsolutePath() + " holds no secret",
					"Write the webhook secret set on GitHub's App settings page into it, or unset it.");
		}
		return new WebhookSecret(file, read);
	}

	/**
	 * Whether {@code signature}, GitHub's {@code X-Hub-Signature-256}
	 * ({@code sha256=<hex>}), is the HMAC-SHA256 of the body under one of the secrets;
	 * compared in constant time.
	 */
	boolean verifies(byte[] body, String signature) {
		if (signature == null || !signature.startsWith(PREFIX) || signature.length() != PREFIX.length() + 64) {
			return false;
		}
		byte[] given;
		try {
			given = HexFormat.of().parseHex(signature, PREFIX.length(), signature.length());
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		boolean verified = false;
		for (byte[] secret : current().secrets()) {
			verified |= MessageDigest.isEqual(hmac(secret, body), given);
		}
		return verified;
	}

	/** The secrets, read again if the file changed ({@link FileState}, as key files). */
	private Read current() {
		Read read = this.read;
		FileState state = FileState.of(this.file);
		if (state == null || state.equals(read.state())) {
			return read;
		}
		try {
			Read fresh = Read.of(this.file);
			if (!fresh.secrets().isEmpty()) {
				this.read = fresh;
				log.info("Webhook secret file {} read again: {} secrets", this.file, fresh.secrets().size());
				return fresh;
			}
		}
		catch (IOException ex) {
			log.warn("Webhook secret file {} cannot be read ({}): the secrets read before stay", this.file,
					ex.getMessage());
		}
		return read;
	}

	static byte[] hmac(byte[] secret, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			return mac.doFinal(body);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("Every Java runtime has HmacSHA256", ex);
		}
	}

	@Override
	public String toString() {
		return "WebhookSecret[" + this.file + "]";
	}

	/** The secrets as read, and the file's state then. */
	private record Read(List<byte[]> secrets, FileState state) {

		static Read of(Path file) throws IOException {
			FileState state = FileState.of(file);
			if (state == null) {
				throw new IOException("cannot read " + file);
			}
			List<byte[]> secrets = Files.readAllLines(file, StandardCharsets.UTF_8)
				.stream()
				.map(String::strip)
				.filter((line) -> !line.isEmpty())
				.map((line) -> line.getBytes(StandardCharsets.UTF_8))
				.toList();
			return new Read(secrets, state);
		}

		@Override
		public String toString() {
			return "Read[" + this.secrets.size() + " secrets]";
		}

	}

}
