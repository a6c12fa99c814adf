package io.tokman.config;

import java.util.Map;

/**
 * Settings that suit the database {@code DB_URI} names, below any that a file or variable
 * sets explicitly.
 */
final class DatabaseDefaults {

	private DatabaseDefaults() {
	}

	static Map<String, Object> forUrl(String url) {
		if (url.startsWith("jdbc:sqlite:")) {
			return Map.of(
					// A connection that met an I/O error is dropped, not kept failing.
					"spring.datasource.hikari.exception-override-class-name", SqliteConnectionFailures.class.getName(),
					// One writer at a time and, in WAL mode, readers beside it: a few
					// connections serve that.
					"spring.datasource.hikari.maximum-pool-size", 4,
					"spring.datasource.hikari.data-source-properties.journal_mode", "WAL",
					"spring.datasource.hikari.data-source-properties.synchronous", "NORMAL",
					"spring.datasource.hikari.data-source-properties.busy_timeout", 10000,
					// The original tokman's file (tables tokens and alembic_version, no
					// Flyway history) is taken as version 1, our V1's equal; V2 then
					// brings
					// it to our form without dropping a token.
					"spring.flyway.baseline-on-migrate", true, "spring.flyway.baseline-version", "1");
		}
		if (url.startsWith("jdbc:postgresql:")) {
			// Renewals take a row lock, so that replicas sharing the database mint each
			// token once.
			return Map.of("spring.datasource.hikari.maximum-pool-size", 10, "tokman.token.database-lock", true);
		}
		return Map.of();
	}

}
