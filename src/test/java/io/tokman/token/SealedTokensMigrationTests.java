package io.tokman.token;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import io.tokman.TestEnvironment;
import io.tokman.github.TestGitHub;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration V8 on both databases: tokens stored in the clear (an earlier tokman's, the
 * original's included) are sealed in place, and no copy in the clear is left in the
 * database: not in SQLite's files, not in PostgreSQL's table.
 */
class SealedTokensMigrationTests {

	private static final TokenCipher CIPHER = new TokenCipher(TestGitHub.appKeys(), null);

	@Test
	void sqliteTokensAreSealedAndTheFilesHoldNoneInTheClear() throws Exception {
		Path database = TestEnvironment.newDatabase();
		String url = "jdbc:sqlite:" + database;
		String table = assertSealed(url, null, "sqlite");
		assertThat(table).doesNotContain("ghs_clear_ogr");
		StringBuilder files = new StringBuilder();
		for (String suffix : new String[] { "", "-wal" }) {
			Path file = Path.of(database + suffix);
			if (Files.exists(file)) {
				files.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
			}
		}
		assertThat(files.toString()).contains("packit").doesNotContain("ghs_clear_ogr", "ghs_clear_dev");
	}

	@Test
	void postgresqlTokensAreSealedAndTheTableHoldsNoneInTheClear() throws Exception {
		String schema = "sealing_" + UUID.randomUUID().toString().replace("-", "");
		String table = assertSealed(TestEnvironment.postgresUrl(), schema, "postgresql");
		assertThat(table).doesNotContain("ghs_clear_ogr", "ghs_clear_dev");
	}

	/** Migrates rows stored in the clear; the table's text, every column of every row. */
	private String assertSealed(String url, String schema, String database) throws SQLException {
		migrate(url, schema, database, "7");
		try (Connection connection = DriverManager.getConnection(url); Statement sql = connection.createStatement()) {
			use(sql, schema);
			sql.execute("INSERT INTO tokens (kind, owner, repositories, permissions, token, expires_at) VALUES"
					+ " ('repository', 'packit', 'ogr', '', 'ghs_clear_ogr', '2026-11-25 13:00:00.000000'),"
					+ " ('installation', 'packit', 'packit.dev', '', 'ghs_clear_dev', '2026-11-25 13:00:00.000000')");
		}
		migrate(url, schema, database, null);
		try (Connection connection = DriverManager.getConnection(url); Statement sql = connection.createStatement()) {
			use(sql, schema);
			StringBuilder table = new StringBuilder();
			try (ResultSet rows = sql.executeQuery(
					"SELECT kind, owner, repositories, permissions, token, token_key FROM tokens ORDER BY kind")) {
				while (rows.next()) {
					String scope = StoredToken.key(rows.getString(1), rows.getString(2), rows.getString(3),
							rows.getString(4));
					assertThat(rows.getString(6)).isEqualTo(CIPHER.currentKey());
					assertThat(CIPHER.open(rows.getString(6), scope, rows.getString(5)))
						.isEqualTo(rows.getString(1).equals("installation") ? "ghs_clear_dev" : "ghs_clear_ogr");
					for (int column = 1; column <= 6; column++) {
						table.append(rows.getString(column)).append(' ');
					}
				}
			}
			if (schema != null) {
				sql.execute("DROP SCHEMA " + schema + " CASCADE");
			}
			return table.toString();
		}
	}

	private static void use(Statement sql, String schema) throws SQLException {
		if (schema != null) {
			sql.execute("SET search_path TO " + schema);
		}
	}

	private static void migrate(String url, String schema, String database, String target) {
		var configuration = Flyway.configure()
			.dataSource(url, null, null)
			.locations("classpath:db/migration/" + database)
			.javaMigrations(new SealStoredTokens(CIPHER));
		if (schema != null) {
			configuration.schemas(schema);
		}
		if (target != null) {
			configuration.target(target);
		}
		configuration.load().migrate();
	}

}
