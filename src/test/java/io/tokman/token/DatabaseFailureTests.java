package io.tokman.token;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.tokman.TestClient;
import io.tokman.TestEnvironment;
import io.tokman.TokmanTest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database becoming unavailable under a running tokman: a token GitHub minted is
 * served even when it cannot be stored, written once the database takes it, and the
 * readiness probe says so meanwhile; a fresh token in memory is served while the database
 * cannot be read.
 */
@TokmanTest
@TestPropertySource(properties = { "spring.datasource.hikari.data-source-properties.busy_timeout=100",
		"spring.datasource.hikari.connection-timeout=250" })
class DatabaseFailureTests {

	private static final OkHttpClient http = new OkHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private HikariDataSource dataSource;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private UnsavedTokens unsaved;

	@Test
	void tokenMintedWhileTheDatabaseRefusesWritesIsServedAndStoredLater() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		String token;
		// Another process holds SQLite's write lock: reads go on, writes fail.
		try (Connection other = DriverManager.getConnection(this.dataSource.getJdbcUrl());
				Statement sql = other.createStatement()) {
			sql.execute("BEGIN IMMEDIATE");
			token = TestClient.token(this.port, repository);
			assertThat(TestClient.token(this.port, repository)).isEqualTo(token);
			assertThat(status("/actuator/health/readiness")).isEqualTo(503);
			sql.execute("ROLLBACK");
		}
		assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isEqualTo(1);
		assertThat(stored(repository)).isNull();
		this.unsaved.retry();
		assertThat(stored(repository)).isEqualTo(token);
		assertThat(status("/actuator/health/readiness")).isEqualTo(200);
	}

	@Test
	void tokensMintedWhileTheFileIsImmutableAreStoredAndReadinessComesBackOnceItIsWritable() throws Exception {
		Path database = Path.of(this.dataSource.getJdbcUrl().substring("jdbc:sqlite:".length()));
		// The file and its write-ahead log, where SQLite writes first.
		List<Path> files = List.of(database, Path.of(database + "-wal"));
		List<String> repositories = List.of(TestEnvironment.uniqueRepository("immutable"),
				TestEnvironment.uniqueRepository("immutable"), TestEnvironment.uniqueRepository("immutable"));
		Map<String, String> tokens = new HashMap<>();
		for (Path file : files) {
			TestEnvironment.immutable(file, true);
		}
		try {
			for (String repository : repositories) {
				tokens.put(repository, TestClient.token(this.port, repository));
			}
			assertThat(status("/actuator/health/readiness")).isEqualTo(503);
		}
		finally {
			for (Path file : files) {
				TestEnvironment.immutable(file, false);
			}
		}
		// Each refresh-ahead round (every second) writes them again; the connections that
		// failed, or that opened the file read-only while it was immutable, are dropped
		// as they fail, and the rounds after that store them.
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
			this.unsaved.retry();
			return status("/actuator/health/readiness") == 200;
		});
		for (String repository : repositories) {
			assertThat(stored(repository)).isEqualTo(tokens.get(repository));
			assertThat(TestClient.token(this.port, repository)).isEqualTo(tokens.get(repository));
			assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isEqualTo(1);
		}
		// And new ones are stored at once.
		String after = TestEnvironment.uniqueRepository("immutable");
		String afterToken = TestClient.token(this.port, after);
		assertThat(stored(after)).isEqualTo(afterToken);
		assertThat(status("/actuator/health/readiness")).isEqualTo(200);
	}

	@Test
	@DirtiesContext
	void freshTokenInMemoryIsServedWhileTheDatabaseCannotBeRead() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String token = TestClient.token(this.port, repository);
		// Past cache-ttl: the next request reads the database, which is gone.
		TestEnvironment.CLOCK.advance(Duration.ofSeconds(31));
		// Every connection gone, and no new one to be had.
		this.dataSource.close();
		assertThat(TestClient.token(this.port, repository)).isEqualTo(token);
		assertThat(TestEnvironment.GITHUB.tokenRequests(repository)).isEqualTo(1);
	}

	/** The token stored for the repository, opened. */
	private String stored(String repository) {
		return this.jdbc.query(
				"SELECT " + StoredTokens.COLUMNS
						+ " FROM tokens WHERE kind = 'repository' AND owner || '/' || repositories = ?",
				(rows) -> rows.next() ? StoredTokens.open(rows) : null, repository.toLowerCase());
	}

	private int status(String path) throws IOException {
		try (Response response = http.newCall(new Request.Builder().url("http://127.0.0.1:" + this.port + path).build())
			.execute()) {
			return response.code();
		}
	}

}
