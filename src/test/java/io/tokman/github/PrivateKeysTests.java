package io.tokman.github;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;

import io.tokman.config.InvalidSettingException;
import io.tokman.TestEnvironment;
import io.tokman.simulator.TestKeys;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class PrivateKeysTests {

	@TempDir
	Path directory;

	@Test
	void pkcs1KeyAsGitHubHandsItOutIsRead() throws IOException {
		assertThat(Files.readString(TestEnvironment.PKCS1_KEY)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
		assertThat(PrivateKeys.read(TestEnvironment.PKCS1_KEY)).isEqualTo(TestEnvironment.KEYS.getPrivate());
	}

	@Test
	void pkcs8KeyIsRead() throws IOException {
		assertThat(Files.readString(TestEnvironment.PKCS8_KEY)).startsWith("-----BEGIN PRIVATE KEY-----");
		assertThat(PrivateKeys.read(TestEnvironment.PKCS8_KEY)).isEqualTo(TestEnvironment.KEYS.getPrivate());
	}

	@Test
	void keyReadableByOthersIsReadWithAWarning(CapturedOutput output) throws IOException {
		Path key = Files.copy(TestEnvironment.PKCS1_KEY, this.directory.resolve("shared.pem"));
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
		PrivateKeys.read(key);
		assertThat(output).contains("GITHUB_APP_PRIVATE_KEY " + key + " can be read by its group or by anyone");
	}

	@Test
	void keyOfAnotherUserThatThisProcessReadsThroughItsGroupIsReadSilently(CapturedOutput output) throws IOException {
		// As Kubernetes mounts a Secret: root's file, readable by the pod's group. Making
		// a file another user's takes root, as CI and the test image run.
		Assumptions.assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0),
				"only root can give a file to another user");
		Path key = Files.copy(TestEnvironment.PKCS1_KEY, this.directory.resolve("mounted.pem"));
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--r-----"));
		Files.setAttribute(key, "unix:uid", 1001);
		PrivateKeys.read(key);
		assertThat(output).doesNotContain("can be read by");
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--r--r--"));
		PrivateKeys.read(key);
		assertThat(output).contains("GITHUB_APP_PRIVATE_KEY " + key + " can be read by its group or by anyone");
	}

	@Test
	void keyReadableByItsGroupIsReadWithAWarningWhenItsOwnerCouldMakeItPrivate(CapturedOutput output)
			throws IOException {
		Path key = Files.copy(TestEnvironment.PKCS1_KEY, this.directory.resolve("group.pem"));
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
		PrivateKeys.read(key);
		assertThat(output).contains("GITHUB_APP_PRIVATE_KEY " + key + " can be read by its group or by anyone");
	}

	@Test
	void keyReadableByItsOwnerOnlyIsReadSilently(CapturedOutput output) throws IOException {
		Path key = Files.copy(TestEnvironment.PKCS1_KEY, this.directory.resolve("private.pem"));
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
		PrivateKeys.read(key);
		assertThat(output).doesNotContain("can be read by");
	}

	@Test
	void missingFileIsNamedWithTheSetting() {
		Path missing = this.directory.resolve("private-key.pem");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> PrivateKeys.read(missing))
			.withMessage("GITHUB_APP_PRIVATE_KEY: cannot use " + missing + ": the file does not exist");
	}

	@Test
	void fileWithoutAKeyIsRejected() throws IOException {
		Path text = Files.writeString(this.directory.resolve("key.pem"), "not a key\n");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> PrivateKeys.read(text))
			.withMessageStartingWith("GITHUB_APP_PRIVATE_KEY: cannot use " + text)
			.withMessageContaining("no unencrypted 'RSA PRIVATE KEY' or 'PRIVATE KEY' block");
	}

	@Test
	void damagedPemIsRejectedWithoutQuotingIt() throws IOException {
		Path damaged = Files.writeString(this.directory.resolve("key.pem"),
				"-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END RSA PRIVATE KEY-----\n");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> PrivateKeys.read(damaged))
			.withMessageStartingWith("GITHUB_APP_PRIVATE_KEY: cannot use " + damaged)
			.withMessageNotContaining("c2VjcmV0");
	}

	@Test
	void nonRsaKeyIsRejected() throws NoSuchAlgorithmException {
		KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
		Path file = TestKeys.writePkcs8(ec, this.directory.resolve("ec.pem"));
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> PrivateKeys.read(file))
			.withMessageEndingWith("it holds a EC key; GitHub Apps use RSA keys");
	}

}
