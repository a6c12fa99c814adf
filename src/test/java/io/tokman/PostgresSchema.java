package io.tokman;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * A schema of its own on the test PostgreSQL ({@code TOKMAN_TEST_POSTGRES_URL}), so that
 * test runs and classes never see each other's rows; dropped on close.
 *
 * @param url the server's JDBC URL
 * @param name the schema's name
 */
record PostgresSchema(String url, String name) implements AutoCloseable {

	static PostgresSchema on(String url, String prefix) {
		return new PostgresSchema(url, prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
	}

	/**
	 * The URL of this schema on the server {@code base} names (the server itself, or a
	 * proxy in front).
	 */
	String jdbcUrl(String base) {
		return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + this.name;
	}

	/** The settings that point a tokman at this schema. */
	List<String> arguments() {
		return List.of("--spring.datasource.url=" + jdbcUrl(this.url), "--spring.flyway.schemas=" + this.name);
	}

	@Override
	public void close() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.url);
				Statement sql = connection.createStatement()) {
			sql.execute("DROP SCHEMA IF EXISTS " + this.name + " CASCADE");
		}
	}

}
