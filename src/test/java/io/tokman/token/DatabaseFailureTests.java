package io.tokman.token;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

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

	private String stored(String repository) {
		return this.jdbc.query(
				"SELECT token FROM tokens WHERE kind = 'repository' AND owner || '/' || repositories = ?",
				(rows) -> rows.next() ? rows.getString(1) : null, repository.toLowerCase());
	}

	private int status(String path) throws IOException {
		try (Response response = http.newCall(new Request.Builder().url("http://127.0.0.1:" + this.port + path).build())
			.execute()) {
			return response.code();
		}
	}

}
