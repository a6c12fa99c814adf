package io.tokman.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The original tokman's setting names, each with the Spring Boot properties a value of it
 * stands for: one row a name, translated and checked on the way.
 */
final class OriginalNames {

	/**
	 * Fewer request threads than this would make a herd of workers queue behind one slow
	 * GitHub call.
	 */
	static final int MIN_THREADS = 16;

	/**
	 * Each original name and what it sets. A later row wins over an earlier one, so that
	 * GITHUB_APP_PRIVATE_KEY outranks SECRETS_DIR.
	 */
	private static final List<Name> NAMES = List.of(
			new Name("SECRETS_DIR", (dir) -> Map.of("tokman.github.private-key", dir)),
			to("GITHUB_APP_PRIVATE_KEY", "tokman.github.private-key"), to("GITHUB_APP_ID", "tokman.github.app-id"),
			to("GITHUB_API_URL", "tokman.github.api-url"),
			to("GITHUB_WEBHOOK_SECRET_FILE", "tokman.github.webhook-secret-file"),
			to("TOKEN_RENEW_AT", "tokman.token.renew-at"), to("TOKMAN_NAMESPACES", "tokman.access.namespaces"),
			to("TOKMAN_API_KEYS", "tokman.access.api-keys"), to("TOKMAN_API_KEYS_FILE", "tokman.access.api-keys-file"),
			to("TOKMAN_TOKEN_SCOPE", "tokman.token.scope"), new Name("BIND_ADDR", OriginalNames::bindAddress),
			new Name("DB_URI", (uri) -> Map.of("spring.datasource.url", jdbcUrl(uri))),
			to("DB_USER", "spring.datasource.username"), to("DB_PASSWORD", "spring.datasource.password"),
			new Name("WORKERS", OriginalNames::workers), new Name("LOG_LEVEL", OriginalNames::logLevel),
			new Name("LOG_FORMAT", OriginalNames::logFormat), to("SENTRY_SECRET", "sentry.dsn"),
			to("SENTRY_DSN", "sentry.dsn"), to("DEPLOYMENT", "sentry.environment"),
			to("SENTRY_ENVIRONMENT", "sentry.environment"),
			to("OTEL_EXPORTER_OTLP_ENDPOINT", "otel.exporter.otlp.endpoint"),
			to("MANAGEMENT_SERVER_PORT", "management.server.port"),
			to("MANAGEMENT_SERVER_ADDRESS", "management.server.address"));

	/** The name that says where the settings file is; not a setting itself. */
	static final String CONFIG = "TOKMAN_CONFIG";

	private OriginalNames() {
	}

	/** Every original name tokman reads, {@value #CONFIG} included. */
	static Set<String> names() {
		Set<String> names = new HashSet<>();
		NAMES.forEach((name) -> names.add(name.name()));
		names.add(CONFIG);
		return names;
	}

	/** The properties the original names that are set stand for. */
	static Map<String, Object> translate(Function<String, String> settings) {
		Map<String, Object> properties = new HashMap<>();
		for (Name name : NAMES) {
			String value = settings.apply(name.name());
			if (value != null) {
				properties.putAll(name.translation().apply(value));
			}
		}
		return properties;
	}

	/**
	 * Accepts a JDBC URL, or the original's SQLAlchemy form
	 * {@code sqlite:////absolute/path.db}.
	 */
	static String jdbcUrl(String uri) {
		if (uri.startsWith("jdbc:")) {
			return uri;
		}
		if (uri.startsWith("sqlite:///")) {
			// sqlite:///relative.db and sqlite:////absolute.db: the path is what follows
			// the third slash.
			return "jdbc:sqlite:" + uri.substring("sqlite:///".length());
		}
		throw invalid("DB_URI", withoutPassword(uri),
				"a JDBC URL such as jdbc:sqlite:/data/access_tokens.db, or sqlite:////path.db");
	}

	/** The URL as it may be printed: user names stay, passwords do not. */
	static String withoutPassword(String uri) {
		return uri.replaceAll("(//[^/:@]*:)[^/@]*@", "$1***@").replaceAll("(?i)(password=)[^&;]*", "$1***");
	}

	private static Map<String, Object> bindAddress(String bind) {
		int colon = bind.lastIndexOf(':');
		String host = (colon >= 0) ? bind.substring(0, colon).replaceAll("^\\[|]$", "") : bind;
		String port = (colon >= 0) ? bind.substring(colon + 1) : "";
		if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
			throw invalid("BIND_ADDR", bind, "host:port, for example 127.0.0.1:8000 or 0.0.0.0:8000");
		}
		return Map.of("server.address", host, "server.port", port);
	}

	private static Map<String, Object> workers(String workers) {
		if (!workers.matches("\\d{1,4}") || Integer.parseInt(workers) < 1) {
			throw invalid("WORKERS", workers, "a whole number from 1 to 9999");
		}
		return Map.of("server.tomcat.threads.max", Math.max(Integer.parseInt(workers), MIN_THREADS));
	}

	private static Map<String, Object> logLevel(String level) {
		String logback = switch (level.trim().toLowerCase(Locale.ROOT)) {
			case "trace", "debug" -> "DEBUG";
			case "info" -> "INFO";
			case "warn", "warning" -> "WARN";
			case "error", "critical", "fatal" -> "ERROR";
			default -> throw invalid("LOG_LEVEL", level, "one of debug, info, warning, error");
		};
		// Libraries' debug output can print response bodies, tokens included; they stay
		// at info at most.
		return Map.of("logging.level.io.tokman", logback, "logging.level.root",
				logback.equals("DEBUG") ? "INFO" : logback);
	}

	private static Map<String, Object> logFormat(String format) {
		return switch (format.trim().toLowerCase(Locale.ROOT)) {
			// Elastic Common Schema: one JSON object a line, which log shippers read as
			// it is.
			case "json" -> Map.of("logging.structured.format.console", "ecs");
			case "text" -> Map.of();
			default -> throw invalid("LOG_FORMAT", format, "json or text");
		};
	}

	private static Name to(String name, String property) {
		return new Name(name, (value) -> Map.of(property, value));
	}

	private static InvalidSettingException invalid(String name, String value, String expected) {
		return new InvalidSettingException(name + " is '" + value + "'; expected " + expected,
				"Fix " + name + "; application.yml.example documents every setting.");
	}

	/** An original setting's name and the properties a value of it stands for. */
	private record Name(String name, Function<String, Map<String, Object>> translation) {

	}

}
