package io.tokman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * Accepts the original tokman's settings: loads the YAML file {@code TOKMAN_CONFIG}
 * names, and translates {@code BIND_ADDR}, {@code DB_URI}, {@code WORKERS},
 * {@code LOG_LEVEL} and {@code LOG_FORMAT} into Spring Boot's properties. The settings
 * that map one to one are placeholders in {@code application.yml}.
 *
 * <p>
 * Precedence, highest first: command line and system properties, environment,
 * {@code TOKMAN_CONFIG}, {@code application.yml}.
 */
class LegacySettings implements EnvironmentPostProcessor, Ordered {

	/**
	 * Fewer request threads than this would make a herd of workers queue behind one slow
	 * GitHub call.
	 */
	static final int MIN_THREADS = 16;

	private static final String SOURCE = "tokmanSettings";

	@Override
	public int getOrder() {
		// After application.yml is loaded, so that its values of these names count too.
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		MutablePropertySources sources = environment.getPropertySources();
		String anchor = sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
				? StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME
				: StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME;
		String config = environment.getProperty("TOKMAN_CONFIG");
		if (config != null && !config.isBlank()) {
			List<PropertySource<?>> loaded = loadYaml(Path.of(config));
			for (int i = loaded.size() - 1; i >= 0; i--) {
				sources.addAfter(anchor, loaded.get(i));
			}
		}
		Map<String, Object> translated = translate(environment::getProperty);
		if (!translated.isEmpty()) {
			sources.addAfter(anchor, new MapPropertySource(SOURCE, translated));
		}
		// Last, so that any file or variable that sets one of these explicitly wins.
		sources.addLast(new MapPropertySource(SOURCE + "DatabaseDefaults",
				databaseDefaults(environment.getProperty("spring.datasource.url", ""),
						environment.getProperty("tokman.token.lock-timeout", Duration.class, Duration.ofSeconds(30)))));
	}

	/** Settings that suit the database DB_URI names. */
	static Map<String, Object> databaseDefaults(String url, Duration lockTimeout) {
		Map<String, Object> defaults = new HashMap<>();
		if (url.startsWith("jdbc:sqlite:")) {
			// One writer at a time and, in WAL mode, readers beside it: a few connections
			// serve that.
			defaults.put("spring.datasource.hikari.maximum-pool-size", 4);
			defaults.put("spring.datasource.hikari.data-source-properties.journal_mode", "WAL");
			defaults.put("spring.datasource.hikari.data-source-properties.synchronous", "NORMAL");
			defaults.put("spring.datasource.hikari.data-source-properties.busy_timeout", 10000);
			// The original tokman's file (tables tokens and alembic_version, no Flyway
			// history) is taken as
			// version 1, our V1's equal; V2 then brings it to our form without dropping a
			// token.
			defaults.put("spring.flyway.baseline-on-migrate", true);
			defaults.put("spring.flyway.baseline-version", "1");
		}
		else if (url.startsWith("jdbc:postgresql:")) {
			defaults.put("spring.datasource.hikari.maximum-pool-size", 10);
			// Renewals take a row lock, so that replicas sharing the database mint each
			// token once; a wait for
			// it is bounded like the wait for the in-process lock.
			defaults.put("tokman.token.database-lock", true);
			defaults.put("spring.datasource.hikari.data-source-properties.options",
					"-c lock_timeout=" + lockTimeout.toMillis());
		}
		return defaults;
	}

	static Map<String, Object> translate(Settings settings) {
		Map<String, Object> properties = new HashMap<>();
		String bind = settings.get("BIND_ADDR");
		if (bind != null) {
			int colon = bind.lastIndexOf(':');
			String host = (colon >= 0) ? bind.substring(0, colon).replaceAll("^\\[|]$", "") : bind;
			String port = (colon >= 0) ? bind.substring(colon + 1) : "";
			if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
				throw invalid("BIND_ADDR", bind, "host:port, for example 127.0.0.1:8000 or 0.0.0.0:8000");
			}
			properties.put("server.address", host);
			properties.put("server.port", port);
		}
		String db = settings.get("DB_URI");
		if (db != null) {
			properties.put("spring.datasource.url", jdbcUrl(db));
		}
		String user = settings.get("DB_USER");
		if (user != null) {
			properties.put("spring.datasource.username", user);
		}
		String password = settings.get("DB_PASSWORD");
		if (password != null) {
			properties.put("spring.datasource.password", password);
		}
		String workers = settings.get("WORKERS");
		if (workers != null) {
			if (!workers.matches("\\d{1,4}") || Integer.parseInt(workers) < 1) {
				throw invalid("WORKERS", workers, "a whole number from 1 to 9999");
			}
			properties.put("server.tomcat.threads.max", Math.max(Integer.parseInt(workers), MIN_THREADS));
		}
		String level = settings.get("LOG_LEVEL");
		if (level != null) {
			String logback = switch (level.trim().toLowerCase(Locale.ROOT)) {
				case "trace", "debug" -> "DEBUG";
				case "info" -> "INFO";
				case "warn", "warning" -> "WARN";
				case "error", "critical", "fatal" -> "ERROR";
				default -> throw invalid("LOG_LEVEL", level, "one of debug, info, warning, error");
			};
			properties.put("logging.level.io.tokman", logback);
			// Libraries' debug output can print response bodies, tokens included; they
			// stay at info at most.
			properties.put("logging.level.root", logback.equals("DEBUG") ? "INFO" : logback);
		}
		String format = settings.get("LOG_FORMAT");
		if (format != null) {
			switch (format.trim().toLowerCase(Locale.ROOT)) {
				// Elastic Common Schema: one JSON object a line, which log shippers read
				// as it is.
				case "json" -> properties.put("logging.structured.format.console", "ecs");
				case "text" -> {
				}
				default -> throw invalid("LOG_FORMAT", format, "json or text");
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
		throw invalid("DB_URI", uri, "a JDBC URL such as jdbc:sqlite:/data/access_tokens.db, or sqlite:////path.db");
	}

	private static List<PropertySource<?>> loadYaml(Path path) {
		if (!Files.isReadable(path)) {
			throw new InvalidSettingException("TOKMAN_CONFIG: cannot read " + path.toAbsolutePath(),
					"Point TOKMAN_CONFIG at a readable YAML file, or unset it.");
		}
		try {
			return new YamlPropertySourceLoader().load("TOKMAN_CONFIG " + path, new FileSystemResource(path));
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidSettingException("TOKMAN_CONFIG: " + path.toAbsolutePath() + " is not valid YAML ("
					+ ex.getClass().getSimpleName() + ")", "Fix the file; application.yml.example shows its form.");
		}
	}

	private static InvalidSettingException invalid(String name, String value, String expected) {
		return new InvalidSettingException(name + " is '" + value + "'; expected " + expected,
				"Fix " + name + "; application.yml.example documents every setting.");
	}

	/** Where the original names are read from: the environment, or a map in tests. */
	@FunctionalInterface
	interface Settings {

		String get(String name);

	}

}
