package io.tokman.token;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import io.tokman.TestEnvironment;
import io.tokman.github.InstallationToken;
import io.tokman.github.TestGitHub;
import io.tokman.github.Permissions;
import io.tokman.github.RepositoryName;
import io.tokman.github.TokenScope;
import io.tokman.simulator.TestKeys;
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

	private static final TokenCipher CIPHER = new TokenCipher(TestGitHub.appKeys(), null);

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
		StoredToken token = row("packit/ogr");
		token.renew("ghs_x", Instant.parse("2026-11-25T17:00:00.123456Z"));
		token.seal(CIPHER);
		this.tokens.save(token);
		assertThat(this.jdbc.queryForObject(
				"select expires_at from tokens where owner = 'packit' and repositories = 'ogr'", String.class))
			.isEqualTo("2026-11-25 17:00:00.123456");
		assertThat(this.tokens.find(row("packit/ogr")).get().expiresAt())
			.isEqualTo(Instant.parse("2026-11-25T17:00:00.123456Z"));
	}

	@Test
	void originalTokmansNaiveUtcTextIsReadAsUtc() {
		this.jdbc.update("insert into tokens (kind, owner, repositories, permissions, token, expires_at)"
				+ " values ('repository', 'old', 'row', '', ?, ?)", "ghs_old", "2026-11-25 17:00:00");
		assertThat(this.tokens.find(row("old/row")).get().expiresAt()).isEqualTo(Instant.parse("2026-11-25T17:00:00Z"));
	}

	@Test
	void upsertInsertsARowOnceAndThenReplacesItsToken() {
		StoredToken first = minted("packit/upsert", Permissions.INSTALLATION, "ghs_first", "2026-11-25T17:00:00Z", 11);
		this.tokens.upsert(first);
		StoredToken second = minted("packit/upsert", Permissions.INSTALLATION, "ghs_second", "2026-11-25T18:00:00Z",
				12);
		this.tokens.upsert(second);
		assertThat(this.jdbc.queryForObject("select count(*) from tokens where repositories = 'upsert'", Integer.class))
			.isOne();
		StoredToken stored = this.tokens.find(row("packit/upsert")).get().open(CIPHER);
		assertThat(stored.token()).isEqualTo("ghs_second");
		assertThat(stored.expiresAt()).isEqualTo(Instant.parse("2026-11-25T18:00:00Z"));
		assertThat(stored.installationId()).isEqualTo(12);
		assertThat(stored.grantedPermissions().text()).isEqualTo("contents:write,metadata:read");
		assertThat(stored.repositorySelection()).isEqualTo("selected");
	}

	@Test
	void eachPermissionSetOfARepositoryHasItsOwnRow() {
		Permissions read = Permissions.parse("contents:read");
		this.tokens.upsert(minted("packit/sets", Permissions.INSTALLATION, "ghs_all", "2026-11-25T17:00:00Z", 1));
		this.tokens.upsert(minted("packit/sets", read, "ghs_read", "2026-11-25T17:00:00Z", 1));
		assertThat(this.tokens.find(row("packit/sets")).get().open(CIPHER).token()).isEqualTo("ghs_all");
		assertThat(this.tokens
			.find(new StoredToken(TokenScope.repository(new RepositoryName("packit", "sets"), read, false)))
			.get()
			.open(CIPHER)
			.token()).isEqualTo("ghs_read");
	}

	@Test
	void aRowIsKeyedByItsScopeInLowerCaseWithPermissionsNormalised() {
		TokenScope owner = TokenScope.owner("Packit", List.of("ogr", "Packit", "OGR"),
				Permissions.parse("contents:read"));
		assertThat(new StoredToken(owner).key()).isEqualTo("owner:packit/ogr,packit#contents:read");
		assertThat(new StoredToken(
				TokenScope.repository(new RepositoryName("Packit", "OGR"), Permissions.INSTALLATION, true))
			.key()).isEqualTo("installation:packit/ogr#");
	}

	@Test
	void upsertNeverReplacesATokenThatExpiresLater() {
		this.tokens.upsert(minted("packit/newer", Permissions.INSTALLATION, "ghs_newer", "2026-11-25T18:00:00Z", 12));
		this.tokens.upsert(minted("packit/newer", Permissions.INSTALLATION, "ghs_older", "2026-11-25T17:00:00Z", 11));
		assertThat(this.tokens.find(row("packit/newer")).get().open(CIPHER).token()).isEqualTo("ghs_newer");
	}

	@Test
	void tokensOfAnyLengthAreStoredWhole() {
		String longToken = "ghs_" + "a.b-c_".repeat(2000);
		StoredToken token = row("packit/long");
		token.renew(longToken, Instant.parse("2026-11-25T17:00:00Z"));
		token.seal(CIPHER);
		this.tokens.save(token);
		assertThat(this.tokens.find(row("packit/long")).get().open(CIPHER).token()).isEqualTo(longToken);
	}

	@Test
	void theTokenIsStoredSealedUnderAKeyWhoseIdTheRowRecords() {
		this.tokens.upsert(minted("packit/sealed", Permissions.INSTALLATION, "ghs_sealed", "2026-11-25T17:00:00Z", 1));
		Map<String, Object> stored = this.jdbc
			.queryForMap("select token, token_key from tokens where repositories = 'sealed'");
		assertThat((String) stored.get("token")).doesNotContain("ghs_sealed").isBase64();
		assertThat(stored.get("token_key")).isEqualTo(CIPHER.currentKey());
	}

	@Test
	void aTokenUnderAKeyNoLongerHeldOrMovedToAnotherRowDoesNotOpen() {
		this.tokens.upsert(minted("packit/moved", Permissions.INSTALLATION, "ghs_moved", "2026-11-25T17:00:00Z", 1));
		this.tokens.upsert(minted("packit/other", Permissions.INSTALLATION, "ghs_other", "2026-11-25T17:00:00Z", 1));
		this.jdbc.update("update tokens set token = (select token from tokens where repositories = 'moved')"
				+ " where repositories = 'other'");
		assertThat(this.tokens.find(row("packit/other")).get().open(CIPHER).token()).isNull();
		StoredToken otherApp = this.tokens.find(row("packit/moved")).get();
		assertThat(otherApp.open(new TokenCipher(TestGitHub.appKeys(TestKeys.generate()), null)).token()).isNull();
		assertThat(otherApp.open(CIPHER).token()).isEqualTo("ghs_moved");
	}

	@Test
	void sqliteRunsInWalModeWithABusyTimeoutSoReadersDoNotWaitForTheWriter() {
		assertThat(this.jdbc.queryForObject("pragma journal_mode", String.class)).isEqualTo("wal");
		assertThat(this.jdbc.queryForObject("pragma busy_timeout", Integer.class)).isEqualTo(10000);
	}

	@Test
	void toStringNeverShowsTheToken() {
		StoredToken token = row("packit/ogr");
		token.renew("ghs_secret", Instant.EPOCH);
		assertThat(token.toString()).doesNotContain("ghs_secret").contains("packit/ogr");
	}

	private static StoredToken row(String repository) {
		String[] parts = repository.split("/");
		return new StoredToken(
				TokenScope.repository(new RepositoryName(parts[0], parts[1]), Permissions.INSTALLATION, false));
	}

	private static StoredToken minted(String repository, Permissions asked, String token, String expiresAt,
			long installation) {
		String[] parts = repository.split("/");
		StoredToken row = new StoredToken(TokenScope.repository(new RepositoryName(parts[0], parts[1]), asked, false));
		row.renew(new InstallationToken(token, Instant.parse(expiresAt), installation,
				Permissions.parse("contents:write,metadata:read"), "selected"));
		row.seal(CIPHER);
		return row;
	}

}
