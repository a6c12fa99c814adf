package io.tokman.token;

import java.time.Instant;
import java.util.TimeZone;

import io.tokman.TestEnvironment;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tokens table on a real SQLite file, created by the Flyway migration and validated
 * by Hibernate.
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class StoredTokenRepositoryTests {

	@Autowired
	private StoredTokenRepository tokens;

	@Autowired
	private JdbcTemplate jdbc;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + TestEnvironment.newDatabase());
	}

	@Test
	void expiryIsStoredAsUtcTextWhateverTheDefaultTimeZone() {
		// Surefire runs the suite in Pacific/Chatham (UTC+13:45 in November), so a zone
		// slip would show.
		assertThat(TimeZone.getDefault().getRawOffset()).isNotZero();
		StoredToken token = new StoredToken("packit/ogr");
		token.renew("ghs_x", Instant.parse("2026-11-25T17:00:00.123456Z"));
		this.tokens.save(token);
		assertThat(this.jdbc.queryForObject("select expires_at from tokens where repo = 'packit/ogr'", String.class))
			.isEqualTo("2026-11-25 17:00:00.123456");
		assertThat(this.tokens.findByRepo("packit/ogr").get().expiresAt())
			.isEqualTo(Instant.parse("2026-11-25T17:00:00.123456Z"));
	}

	@Test
	void originalTokmansNaiveUtcTextIsReadAsUtc() {
		this.jdbc.update("insert into tokens (repo, token, expires_at) values (?, ?, ?)", "old/row", "ghs_old",
				"2026-11-25 17:00:00");
		assertThat(this.tokens.findByRepo("old/row").get().expiresAt())
			.isEqualTo(Instant.parse("2026-11-25T17:00:00Z"));
	}

	@Test
	void upsertInsertsARepositorysRowOnceAndThenReplacesItsToken() {
		this.tokens.upsert("packit/upsert", "ghs_first", "2026-11-25 17:00:00.000000", 11);
		this.tokens.upsert("packit/upsert", "ghs_second", "2026-11-25 18:00:00.000000", 12);
		assertThat(this.jdbc.queryForObject("select count(*) from tokens where repo = 'packit/upsert'", Integer.class))
			.isOne();
		StoredToken stored = this.tokens.findByRepo("packit/upsert").get();
		assertThat(stored.token()).isEqualTo("ghs_second");
		assertThat(stored.expiresAt()).isEqualTo(Instant.parse("2026-11-25T18:00:00Z"));
		assertThat(stored.installationId()).isEqualTo(12);
	}

	@Test
	void upsertNeverReplacesATokenThatExpiresLater() {
		this.tokens.upsert("packit/newer", "ghs_newer", "2026-11-25 18:00:00.000000", 12);
		this.tokens.upsert("packit/newer", "ghs_older", "2026-11-25 17:00:00.000000", 11);
		assertThat(this.tokens.findByRepo("packit/newer").get().token()).isEqualTo("ghs_newer");
	}

	@Test
	void tokensOfAnyLengthAreStoredWhole() {
		String longToken = "ghs_" + "a.b-c_".repeat(2000);
		StoredToken token = new StoredToken("packit/long");
		token.renew(longToken, Instant.parse("2026-11-25T17:00:00Z"));
		this.tokens.save(token);
		assertThat(this.tokens.findByRepo("packit/long").get().token()).isEqualTo(longToken);
	}

	@Test
	void sqliteRunsInWalModeWithABusyTimeoutSoReadersDoNotWaitForTheWriter() {
		assertThat(this.jdbc.queryForObject("pragma journal_mode", String.class)).isEqualTo("wal");
		assertThat(this.jdbc.queryForObject("pragma busy_timeout", Integer.class)).isEqualTo(10000);
	}

	@Test
	void toStringNeverShowsTheToken() {
		StoredToken token = new StoredToken("packit/ogr");
		token.renew("ghs_secret", Instant.EPOCH);
		assertThat(token.toString()).doesNotContain("ghs_secret").contains("packit/ogr");
	}

}
