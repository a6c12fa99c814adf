package io.tokman.github;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HexFormat;

import io.tokman.config.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WebhookSecretTests {

	private static final byte[] BODY = "{\"action\":\"deleted\"}".getBytes(StandardCharsets.UTF_8);

	@TempDir
	Path directory;

	@Test
	void aSignatureVerifiesUnderAnySecretOfTheFileAndNothingElseDoes() throws IOException {
		Path file = Files.writeString(this.directory.resolve("secret"), "old-secret\n\n  new-secret  \n");
		WebhookSecret secret = WebhookSecret.read(file, "GITHUB_WEBHOOK_SECRET_FILE");
		assertThat(secret.verifies(BODY, signature("old-secret", BODY))).isTrue();
		assertThat(secret.verifies(BODY, signature("new-secret", BODY))).isTrue();
		assertThat(secret.verifies(BODY, signature("other-secret", BODY))).isFalse();
		assertThat(secret.verifies("{}".getBytes(StandardCharsets.UTF_8), signature("new-secret", BODY))).isFalse();
		String good = signature("new-secret", BODY);
		for (String bad : new String[] { null, "", "sha256=", good.substring(0, good.length() - 1),
				good.replace("sha256=", "sha1="), good.replace("sha256=", "SHA256="), good + "00",
				"sha256=" + "zz".repeat(32) }) {
			assertThat(secret.verifies(BODY, bad)).as(bad).isFalse();
		}
		assertThat(secret.toString()).doesNotContain("secret\n").doesNotContain("new-secret");
	}

	@Test
	void aChangedFileIsReadAgainAndAnEmptyOneKeepsTheSecretsReadBefore() throws IOException {
		Path file = Files.writeString(this.directory.resolve("secret"), "first-secret\n");
		WebhookSecret secret = WebhookSecret.read(file, "GITHUB_WEBHOOK_SECRET_FILE");
		Files.writeString(file, "second-secret\n");
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
		assertThat(secret.verifies(BODY, signature("second-secret", BODY))).isTrue();
		assertThat(secret.verifies(BODY, signature("first-secret", BODY))).isFalse();
		Files.writeString(file, "\n");
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
		assertThat(secret.verifies(BODY, signature("second-secret", BODY))).isTrue();
	}

	@Test
	void aMissingOrEmptyFileStopsStartupNamingTheSetting() throws IOException {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> WebhookSecret.read(this.directory.resolve("missing"), "GITHUB_WEBHOOK_SECRET_FILE"))
			.withMessageStartingWith("GITHUB_WEBHOOK_SECRET_FILE: cannot read");
		Path empty = Files.writeString(this.directory.resolve("empty"), "\n \n");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> WebhookSecret.read(empty, "GITHUB_WEBHOOK_SECRET_FILE"))
			.withMessageEndingWith("holds no secret");
	}

	static String signature(String secret, byte[] body) {
		return "sha256=" + HexFormat.of().formatHex(WebhookSecret.hmac(secret.getBytes(StandardCharsets.UTF_8), body));
	}

}
