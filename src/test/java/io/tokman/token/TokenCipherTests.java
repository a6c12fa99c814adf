package io.tokman.token;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;

import io.tokman.config.InvalidSettingException;
import io.tokman.github.TestGitHub;
import io.tokman.simulator.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TokenCipherTests {

	private static final String SCOPE = "repository:packit/ogr#";

	private final TokenCipher cipher = new TokenCipher(TestGitHub.appKeys(), null);

	@TempDir
	Path directory;

	/** tokman.token's defaults. */
	static TokenProperties properties() {
		return new TokenProperties(Duration.ofSeconds(60), false, 100, Duration.ofSeconds(30), Duration.ofSeconds(5),
				new TokenProperties.RefreshAhead(true, Duration.ofSeconds(1), 10, 2, Duration.ofHours(1)),
				Duration.ofSeconds(10), Duration.ofSeconds(10), TokenProperties.Scope.REPOSITORY, Duration.ofDays(1),
				Duration.ofSeconds(2), null, Duration.ofMinutes(1));
	}

	@Test
	void aSealedTokenOpensUnderItsScopeOnlyAndEachSealingDiffers() {
		TokenCipher.Sealed first = this.cipher.seal(SCOPE, "ghs_secret");
		TokenCipher.Sealed second = this.cipher.seal(SCOPE, "ghs_secret");
		assertThat(first.text()).doesNotContain("ghs_secret").isNotEqualTo(second.text());
		assertThat(first.keyId()).isEqualTo(this.cipher.currentKey()).matches("[0-9a-f]{16}");
		assertThat(this.cipher.open(first.keyId(), SCOPE, first.text())).isEqualTo("ghs_secret");
		assertThat(this.cipher.open(first.keyId(), "repository:packit/other#", first.text())).isNull();
		assertThat(this.cipher.open(first.keyId(), SCOPE, "not base64!")).isNull();
		assertThat(first.toString()).doesNotContain(first.text());
	}

	@Test
	void theKeyIsDerivedFromTheAppKeySoTheSameAppKeyOpensWhatAnotherProcessSealed() {
		TokenCipher.Sealed sealed = this.cipher.seal(SCOPE, "ghs_shared");
		assertThat(new TokenCipher(TestGitHub.appKeys(), null).open(sealed.keyId(), SCOPE, sealed.text()))
			.isEqualTo("ghs_shared");
		KeyPair other = TestKeys.generate();
		TokenCipher otherApp = new TokenCipher(TestGitHub.appKeys(other), null);
		assertThat(otherApp.currentKey()).isNotEqualTo(this.cipher.currentKey());
		assertThat(otherApp.open(sealed.keyId(), SCOPE, sealed.text())).as("a key not held").isNull();
	}

	@Test
	void aTokenStoredBeforeTokensWereSealedIsReadAsItIs() {
		assertThat(this.cipher.open(null, SCOPE, "ghs_original")).isEqualTo("ghs_original");
	}

	@Test
	void aKeyFileSealsAndTheAppKeysKeyStillOpensForTheUpkeepToSealAgain() throws IOException {
		TokenCipher.Sealed before = this.cipher.seal(SCOPE, "ghs_before");
		Path file = Files.writeString(this.directory.resolve("encryption-key"), "0123456789abcdef0123456789abcdef\n");
		TokenCipher withFile = new TokenCipher(TestGitHub.appKeys(), file);
		assertThat(withFile.currentKey()).isNotEqualTo(this.cipher.currentKey());
		assertThat(withFile.retiredKeys()).containsExactly(this.cipher.currentKey());
		assertThat(withFile.open(before.keyId(), SCOPE, before.text())).isEqualTo("ghs_before");
	}

	@Test
	void aKeyFileTooShortOrMissingStopsStartupNamingTheSetting() throws IOException {
		Path file = Files.writeString(this.directory.resolve("short"), "too short");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new TokenCipher(TestGitHub.appKeys(), file))
			.withMessageContaining("tokman.token.encryption-key")
			.withMessageContaining("9 bytes");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new TokenCipher(TestGitHub.appKeys(), this.directory.resolve("missing")))
			.withMessageContaining("tokman.token.encryption-key: cannot read");
	}

}
