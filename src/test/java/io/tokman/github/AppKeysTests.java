package io.tokman.github;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Instant;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokman.config.InvalidSettingException;
import io.tokman.simulator.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class AppKeysTests {

	private static final KeyPair OLD = TestKeys.generate();

	private static final KeyPair NEW = TestKeys.generate();

	@TempDir
	Path directory;

	private final MeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void aKeyIsKnownByTheFingerprintGitHubShowsForIt() {
		AppKeys keys = read(write("private-key.pem", OLD, 1), null);
		String expected = TestKeys.fingerprint(OLD);
		assertThat(expected).matches("SHA256:[A-Za-z0-9+/]{43}=");
		assertThat(keys.signing().fingerprint()).isEqualTo(expected);
		assertThat(keys.signing().toString()).contains(expected).doesNotContain("modulus", "exponent");
	}

	@Test
	void inADirectoryEveryPrivateKeyFileIsHeldAndTheNewestSigns() throws IOException {
		write("private-key.pem", OLD, 1);
		write("private-key-2026-12.pem", NEW, 2);
		Files.writeString(this.directory.resolve("api-keys"), "not a key");
		AppKeys keys = read(this.directory, null);
		assertThat(keys.all()).hasSize(2);
		assertThat(keys.signing().fingerprint()).isEqualTo(fingerprint(NEW));
		assertThat(keys.others(keys.signing())).extracting(AppKey::fingerprint).containsExactly(fingerprint(OLD));
		assertThat(this.registry.get("tokman.github.app.key.in.use").tag("key", fingerprint(NEW)).gauge().value())
			.isEqualTo(1);
		assertThat(this.registry.get("tokman.github.app.key.in.use").tag("key", fingerprint(OLD)).gauge().value())
			.isZero();
	}

	@Test
	void filesOfOneMinuteAsASecretVolumeRewritesThemInNoSetOrderSignWithTheGreatestName() throws IOException {
		write("private-key-2.pem", OLD, 1);
		Path plain = write("private-key.pem", NEW, 1);
		Files.setLastModifiedTime(plain, FileTime.from(time(1).toInstant().plusSeconds(30)));
		assertThat(read(this.directory, null).signing().fingerprint()).isEqualTo(fingerprint(OLD));
	}

	@Test
	void theKeyNamedActiveSignsByFileNameOrFingerprint() {
		write("private-key.pem", OLD, 1);
		write("private-key-2026-12.pem", NEW, 2);
		assertThat(read(this.directory, "private-key.pem").signing().fingerprint()).isEqualTo(fingerprint(OLD));
		assertThat(read(this.directory, fingerprint(OLD)).signing().fingerprint()).isEqualTo(fingerprint(OLD));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> read(this.directory, "private-key-2027.pem"))
			.withMessageContaining("tokman.github.active-key")
			.withMessageContaining("private-key-2027.pem");
	}

	@Test
	void aDirectoryWithoutAUsableKeyStopsStartupNamingTheSetting() throws IOException {
		Files.writeString(this.directory.resolve("private-key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nbroken\n");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> read(this.directory, null))
			.withMessageContaining("GITHUB_APP_PRIVATE_KEY")
			.withMessageContaining(this.directory.toString());
	}

	@Test
	void aBrokenFileBesideAWorkingKeyIsReportedAndTheWorkingKeySigns(CapturedOutput output) throws IOException {
		write("private-key.pem", OLD, 1);
		Files.writeString(this.directory.resolve("private-key-new.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n");
		AppKeys keys = read(this.directory, null);
		assertThat(keys.signing().fingerprint()).isEqualTo(fingerprint(OLD));
		assertThat(invalidFiles()).isEqualTo(1);
		assertThat(output).contains("private-key-new.pem").contains("it is ignored").doesNotContain("AAAA");
	}

	@Test
	void aKeyFileThatStopsParsingKeepsItsKeyUntilItParsesAgain(CapturedOutput output) throws IOException {
		Path file = write("private-key.pem", OLD, 1);
		AppKeys keys = read(this.directory, null);
		Files.writeString(file, "half a key");
		Files.setLastModifiedTime(file, time(2));
		keys.reload();
		assertThat(keys.signing().fingerprint()).isEqualTo(fingerprint(OLD));
		assertThat(invalidFiles()).isEqualTo(1);
		assertThat(output).contains("read from it before is kept");
		keys.reload();
		assertThat(invalidFiles()).as("still broken at the next check").isEqualTo(1);
		write("private-key.pem", NEW, 3);
		keys.reload();
		assertThat(keys.signing().fingerprint()).isEqualTo(fingerprint(NEW));
		assertThat(keys.all()).hasSize(1);
		assertThat(invalidFiles()).isZero();
	}

	@Test
	void keysAddedAndRemovedAreFoundAtTheNextCheck(CapturedOutput output) throws IOException {
		Path old = write("private-key.pem", OLD, 1);
		AppKeys keys = read(this.directory, null);
		write("private-key-2026-12.pem", NEW, 2);
		keys.reload();
		assertThat(keys.signing().fingerprint()).isEqualTo(fingerprint(NEW));
		assertThat(output).contains("App key " + fingerprint(NEW) + " (private-key-2026-12.pem) added");
		Files.delete(old);
		keys.reload();
		assertThat(keys.all()).extracting(AppKey::fingerprint).containsExactly(fingerprint(NEW));
		assertThat(output).contains("App key " + fingerprint(OLD) + " (private-key.pem) removed");
	}

	@Test
	void removingEveryKeyFileKeepsTheKeysHeld(CapturedOutput output) throws IOException {
		Path old = write("private-key.pem", OLD, 1);
		AppKeys keys = read(this.directory, null);
		Files.delete(old);
		keys.reload();
		assertThat(keys.signing().fingerprint()).isEqualTo(fingerprint(OLD));
		assertThat(output).contains("No usable App key in");
	}

	/**
	 * A Kubernetes Secret volume: each file a link into {@code ..data}, itself a link to
	 * a timestamped directory; an update writes a new directory and swaps {@code ..data}
	 * in one rename. Files keep their names; their targets change.
	 */
	@Test
	void aSecretVolumesSymlinkSwapIsPickedUp() throws IOException {
		Path first = Files.createDirectory(this.directory.resolve("..2026_12_06_01"));
		TestKeys.writePkcs1(OLD, first.resolve("private-key.pem"));
		Files.createSymbolicLink(this.directory.resolve("..data"), first.getFileName());
		Files.createSymbolicLink(this.directory.resolve("private-key.pem"), Path.of("..data", "private-key.pem"));
		AppKeys keys = read(this.directory, null);
		assertThat(keys.signing().fingerprint()).isEqualTo(fingerprint(OLD));

		Path second = Files.createDirectory(this.directory.resolve("..2026_12_06_02"));
		TestKeys.writePkcs1(NEW, second.resolve("private-key.pem"));
		// Same time and size as the old file: only the link's target tells them apart.
		Files.setLastModifiedTime(second.resolve("private-key.pem"),
				Files.getLastModifiedTime(first.resolve("private-key.pem")));
		Path swap = Files.createSymbolicLink(this.directory.resolve("..data_tmp"), second.getFileName());
		Files.move(swap, this.directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
		keys.reload();
		assertThat(keys.all()).extracting(AppKey::fingerprint).containsExactly(fingerprint(NEW));
	}

	private AppKeys read(Path source, String active) {
		return AppKeys.read(source, active, "424242", this.registry);
	}

	private double invalidFiles() {
		return this.registry.get("tokman.github.app.key.files.invalid").gauge().value();
	}

	private Path write(String name, KeyPair keys, int minute) {
		Path file = TestKeys.writePkcs1(keys, this.directory.resolve(name));
		try {
			Files.setLastModifiedTime(file, time(minute));
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		return file;
	}

	private static FileTime time(int minute) {
		return FileTime.from(Instant.parse("2026-12-06T10:00:00Z").plusSeconds(60L * minute));
	}

	static String fingerprint(KeyPair keys) {
		return TestKeys.fingerprint(keys);
	}

}
