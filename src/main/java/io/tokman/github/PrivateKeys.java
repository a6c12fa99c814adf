package io.tokman.github;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;

import io.tokman.InvalidSettingException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads the App's RSA private key from a PEM file, in GitHub's PKCS#1 form or in PKCS#8.
 */
public final class PrivateKeys {

	private PrivateKeys() {
	}

	/**
	 * Reads the key, or fails with a message that names the setting, the file and what is
	 * wrong with it.
	 */
	public static RSAPrivateKey read(Path path) {
		Object pem;
		try (Reader reader = Files.newBufferedReader(path, StandardCharsets.US_ASCII);
				PEMParser parser = new PEMParser(reader)) {
			pem = parser.readObject();
		}
		catch (NoSuchFileException ex) {
			throw invalid(path, "the file does not exist");
		}
		catch (AccessDeniedException ex) {
			throw invalid(path, "permission denied");
		}
		catch (IOException ex) {
			// The parser's messages may quote the file; a key file's content never goes
			// into a message.
			throw invalid(path, "not a readable PEM file (" + ex.getClass().getSimpleName() + ")");
		}
		PrivateKeyInfo info = (pem instanceof PEMKeyPair pair) ? pair.getPrivateKeyInfo()
				: (pem instanceof PrivateKeyInfo plain) ? plain : null;
		if (info == null) {
			throw invalid(path, "no unencrypted 'RSA PRIVATE KEY' or 'PRIVATE KEY' block in it");
		}
		PrivateKey key;
		try {
			key = new JcaPEMKeyConverter().getPrivateKey(info);
		}
		catch (IOException ex) {
			throw invalid(path, "the private key in it is damaged");
		}
		if (!(key instanceof RSAPrivateKey rsa)) {
			throw invalid(path, "it holds a " + key.getAlgorithm() + " key; GitHub Apps use RSA keys");
		}
		return rsa;
	}

	private static InvalidSettingException invalid(Path path, String problem) {
		return new InvalidSettingException(
				"GITHUB_APP_PRIVATE_KEY: cannot use " + path.toAbsolutePath() + ": " + problem,
				"Point GITHUB_APP_PRIVATE_KEY (or SECRETS_DIR, the folder holding private-key.pem) at the PEM "
						+ "private key generated in the GitHub App's settings.");
	}

}
