package io.tokman.token;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokman.TestEnvironment;
import io.tokman.github.AppKeys;
import io.tokman.github.InstallationToken;
import io.tokman.github.Permissions;
import io.tokman.github.RepositoryName;
import io.tokman.github.TestGitHub;
import io.tokman.github.TokenScope;
import io.tokman.simulator.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The App's key rotated: tokens sealed under the old key's data key open while the old
 * key is held, and the upkeep seals them again under the new one (and seals those stored
 * in the clear); once the old key is gone, what it sealed is as if missing.
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class StoredTokenResealTests {

	private static final KeyPair OLD = TestKeys.generate();

	private static final KeyPair NEW = TestKeys.generate();

	@Autowired
	private StoredTokenRepository tokens;

	@Autowired
	private JdbcTemplate jdbc;

	@TempDir
	Path directory;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + TestEnvironment.newDatabase());
	}

	@Test
	void afterARotationTokensAreSealedAgainUnderTheNewKeyAndWhatTheOldAloneOpenedIsMissingOnceItIsGone()
			throws IOException {
		Path old = write("private-key.pem", OLD, 1);
		AppKeys keys = TestGitHub.appKeys(this.directory);
		TokenCipher cipher = new TokenCipher(keys, null);
		StoredTokenUpkeep upkeep = new StoredTokenUpkeep(this.tokens, TestEnvironment.CLOCK,
				TokenCipherTests.properties(), new SimpleMeterRegistry(), cipher);
		String oldKey = cipher.currentKey();
		store(cipher, "packit/sealed", "ghs_sealed");
		store(cipher, "packit/left", "ghs_left");
		this.jdbc.update("insert into tokens (kind, owner, repositories, permissions, token, expires_at)"
				+ " values ('repository', 'packit', 'clear', '', 'ghs_clear', '2026-11-25 17:00:00')");

		write("private-key-2026-12.pem", NEW, 2);
		TestGitHub.reload(keys);
		assertThat(cipher.currentKey()).isNotEqualTo(oldKey);
		assertThat(cipher.retiredKeys()).containsExactly(oldKey);
		this.jdbc.update("update tokens set token_key = 'ffffffffffffffff' where repositories = 'left'");
		assertThat(upkeep.reseal()).isEqualTo(2);
		assertThat(this.jdbc.queryForList(
				"select distinct token_key from tokens where token is not null" + " and repositories <> 'left'",
				String.class))
			.containsExactly(cipher.currentKey());
		assertThat(read(cipher, "packit/sealed")).isEqualTo("ghs_sealed");
		assertThat(read(cipher, "packit/clear")).isEqualTo("ghs_clear");
		assertThat(upkeep.reseal()).as("nothing left to seal again").isZero();

		store(cipher, "packit/late", "ghs_late");
		this.jdbc.update("update tokens set token_key = ? where repositories = 'late'", oldKey);
		Files.delete(old);
		TestGitHub.reload(keys);
		assertThat(read(cipher, "packit/late")).as("under a key no longer held").isNull();
		assertThat(read(cipher, "packit/left")).as("under a key never held").isNull();
	}

	private void store(TokenCipher cipher, String repository, String token) {
		StoredToken row = new StoredToken(scope(repository));
		row.renew(new InstallationToken(token, Instant.parse("2026-11-25T17:00:00Z"), 1, Permissions.INSTALLATION,
				"selected"));
		row.seal(cipher);
		this.tokens.upsert(row);
	}

	private String read(TokenCipher cipher, String repository) {
		return this.tokens.find(new StoredToken(scope(repository))).get().open(cipher).token();
	}

	private static TokenScope scope(String repository) {
		String[] name = repository.split("/");
		return TokenScope.repository(new RepositoryName(name[0], name[1]), Permissions.INSTALLATION, false);
	}

	private Path write(String name, KeyPair key, int minute) throws IOException {
		Path file = TestKeys.writePkcs1(key, this.directory.resolve(name));
		Files.setLastModifiedTime(file,
				FileTime.from(Instant.parse("2026-12-06T10:00:00Z").plus(Duration.ofMinutes(minute))));
		return file;
	}

}
