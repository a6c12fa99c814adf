package io.tokman.token;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.tokman.TestEnvironment;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The migrations to scoped tokens on both databases: every stored token stays in place as
 * the installation-wide token it is, without a mint; its repository's row keeps the
 * installation id for the scoped token minted next.
 */
class ScopedTokensMigrationTests {

	@Test
	void sqliteRowsKeepTheirTokensAsInstallationTokensOnly() throws SQLException {
		String url = "jdbc:sqlite:" + TestEnvironment.newDatabase();
		assertRowsMoved(url, null, "sqlite");
	}

	@Test
	void postgresqlRowsKeepTheirTokensAsInstallationTokensOnly() throws SQLException {
		String schema = "migration_" + UUID.randomUUID().toString().replace("-", "");
		assertRowsMoved(TestEnvironment.postgresUrl(), schema, "postgresql");
	}

	private void assertRowsMoved(String url, String schema, String database) throws SQLException {
		migrate(url, schema, database, "4");
		try (Connection connection = DriverManager.getConnection(url); Statement sql = connection.createStatement()) {
			if (schema != null) {
				sql.execute("SET search_path TO " + schema);
			}
			sql.execute("INSERT INTO tokens (repo, token, expires_at, installation_id) VALUES "
					+ "('packit/ogr', 'ghs_ogr', '2026-11-25 13:00:00.000000', 7),"
					+ " ('packit/packit.dev', 'ghs_dev', '2026-11-25 13:30:00.000000', NULL)");
		}
		migrate(url, schema, database, null);
		try (Connection connection = DriverManager.getConnection(url); Statement sql = connection.createStatement()) {
			if (schema != null) {
				sql.execute("SET search_path TO " + schema);
			}
			List<String> rows = new ArrayList<>();
			try (ResultSet result = sql.executeQuery("SELECT kind, owner, repositories, permissions, token, expires_at,"
					+ " installation_id FROM tokens ORDER BY kind, repositories")) {
				while (result.next()) {
					rows.add(String.join(" ", result.getString(1), result.getString(2), result.getString(3),
							"[" + result.getString(4) + "]", result.getString(5), result.getString(6),
							String.valueOf(result.getObject(7))));
				}
			}
			assertThat(rows).containsExactly("installation packit ogr [] ghs_ogr 2026-11-25 13:00:00.000000 7",
					"installation packit packit.dev [] ghs_dev 2026-11-25 13:30:00.000000 null",
					"repository packit ogr [] null null 7", "repository packit packit.dev [] null null null");
			// The new key is unique: a second row of the same scope is refused for that.
			String sameScope = "INSERT INTO tokens (kind, owner, repositories, permissions) VALUES "
					+ "('repository', 'packit', 'ogr', 'contents:read')";
			sql.execute(sameScope);
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> sql.execute(sameScope))
				.satisfies((ex) -> assertThat(ex.getMessage()).containsIgnoringCase("unique"));
			// Every existing row is the original settings' App's (V9); another App's row
			// of
			// the same scope is a row of its own.
			try (ResultSet apps = sql.executeQuery("SELECT DISTINCT app FROM tokens")) {
				assertThat(apps.next()).isTrue();
				assertThat(apps.getString(1)).isEmpty();
				assertThat(apps.next()).isFalse();
			}
			sql.execute("INSERT INTO tokens (app, kind, owner, repositories, permissions) VALUES "
					+ "('777', 'repository', 'packit', 'ogr', 'contents:read')");
			if (schema != null) {
				sql.execute("DROP SCHEMA " + schema + " CASCADE");
			}
		}
	}

	private static void migrate(String url, String schema, String database, String target) {
		var configuration = Flyway.configure()
			.dataSource(url, null, null)
			.locations("classpath:db/migration/" + database);
		if (schema != null) {
			configuration.schemas(schema);
		}
		if (target != null) {
			configuration.target(target);
		}
		configuration.load().migrate();
	}

}
