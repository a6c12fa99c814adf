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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import io.tokman.config.InvalidSettingException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads the App's RSA private key from a PEM file, in GitHub's PKCS#1 form or in PKCS#8.
 */
final class PrivateKeys {

	private static final Logger log = LoggerFactory.getLogger(PrivateKeys.class);

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
		warnIfOthersCanRead(path);
		return rsa;
	}

	private static void warnIfOthersCanRead(Path path) {
		try {
			Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
			// A key owned by another user (Kubernetes mounts a Secret as root's, readable
			// by the pod's fsGroup) can only be read through its group: nothing to fix.
			if ((permissions.contains(PosixFilePermission.GROUP_READ) && ownedByThisProcess(path))
					|| permissions.contains(PosixFilePermission.OTHERS_READ)) {
				log.warn(
						"GITHUB_APP_PRIVATE_KEY {} can be read by its group or by anyone ({}); "
								+ "make it readable by tokman's user only (chmod 600)",
						path.toAbsolutePath(), PosixFilePermissions.toString(permissions));
			}
		}
		catch (IOException | UnsupportedOperationException ex) {
			// No POSIX permissions here (Windows): nothing to check.
		}
	}

	/**
	 * Whether the file's owner is this process's user (Linux: the owner of /proc/self);
	 * if that cannot be told, yes, so that the warning errs on the side of showing.
	 */
	private static boolean ownedByThisProcess(Path path) {
		try {
			return Files.getAttribute(path, "unix:uid").equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return true;
		}
	}

	private static InvalidSettingException invalid(Path path, String problem) {
		return new InvalidSettingException(
				"GITHUB_APP_PRIVATE_KEY: cannot use " + path.toAbsolutePath() + ": " + problem,
				"Point GITHUB_APP_PRIVATE_KEY (or SECRETS_DIR, the folder holding private-key.pem) at the PEM "
						+ "private key generated in the GitHub App's settings.");
	}

}
