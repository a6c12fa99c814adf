package io.tokman.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokman.Readme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/** The original tokman's settings keep working, and no unknown one goes unnoticed. */
@ExtendWith(OutputCaptureExtension.class)
class LegacySettingsTests {

	@TempDir
	Path directory;

	@Test
	void bindAddressSetsHostAndPort() {
		assertThat(translate("BIND_ADDR", "0.0.0.0:8000")).containsOnly(entry("server.address", "0.0.0.0"),
				entry("server.port", "8000"));
		assertThat(translate("BIND_ADDR", "[::1]:9000")).containsEntry("server.address", "::1");
	}

	@Test
	void bindAddressWithoutPortIsRejectedNamingTheSetting() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> translate("BIND_ADDR", "localhost"))
			.withMessageStartingWith("BIND_ADDR is 'localhost'; expected host:port");
	}

	@Test
	void originalSqlAlchemyDatabaseUriIsTranslated() {
		assertThat(OriginalNames.jdbcUrl("sqlite:////tokman/access_tokens.db"))
			.isEqualTo("jdbc:sqlite:/tokman/access_tokens.db");
		assertThat(OriginalNames.jdbcUrl("sqlite:///relative.db")).isEqualTo("jdbc:sqlite:relative.db");
		assertThat(OriginalNames.jdbcUrl("jdbc:sqlite:/data/t.db")).isEqualTo("jdbc:sqlite:/data/t.db");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> OriginalNames.jdbcUrl("mysql://x/y"))
			.withMessageStartingWith("DB_URI is 'mysql://x/y'");
	}

	@Test
	void databaseUriThatCannotBeUsedIsReportedWithoutItsPassword() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> OriginalNames.jdbcUrl("postgresql://tokman:s3cret-pw@db:5432/tokman"))
			.withMessageStartingWith("DB_URI is 'postgresql://tokman:***@db:5432/tokman'")
			.withMessageNotContaining("s3cret-pw");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> OriginalNames.jdbcUrl("mysql://db/x?user=a&password=s3cret-pw"))
			.withMessageNotContaining("s3cret-pw");
	}

	@Test
	void newSqliteFileIsCreatedReadableByTokmanOnlyAndAnExistingOneTightened() throws IOException {
		Path database = this.directory.resolve("tokens.db");
		DatabaseFiles.secure("jdbc:sqlite:" + database);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(database))).isEqualTo("rw-------");
		Path original = Files.createFile(this.directory.resolve("original.db"));
		Path wal = Files.createFile(this.directory.resolve("original.db-wal"));
		Files.setPosixFilePermissions(original, PosixFilePermissions.fromString("rw-r--r--"));
		Files.setPosixFilePermissions(wal, PosixFilePermissions.fromString("rw-r--r--"));
		DatabaseFiles.secure("jdbc:sqlite:" + original + "?foo=bar");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(original))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal))).isEqualTo("rw-------");
		DatabaseFiles.secure("jdbc:sqlite::memory:");
		DatabaseFiles.secure("jdbc:postgresql://db/tokman");
	}

	@Test
	void databaseUserAndPasswordAreTranslated() {
		assertThat(translate("DB_USER", "tokman")).containsOnly(entry("spring.datasource.username", "tokman"));
		assertThat(translate("DB_PASSWORD", "s3cret")).containsOnly(entry("spring.datasource.password", "s3cret"));
	}

	@Test
	void sentryAndOpenTelemetryNamesWorkInAFileTooNotOnlyInTheEnvironment() {
		assertThat(translate("SENTRY_DSN", "https://k@sentry.example/1"))
			.containsOnly(entry("sentry.dsn", "https://k@sentry.example/1"));
		assertThat(translate("SENTRY_ENVIRONMENT", "prod")).containsOnly(entry("sentry.environment", "prod"));
		assertThat(translate("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))
			.containsOnly(entry("otel.exporter.otlp.endpoint", "http://collector:4318"));
	}

	@Test
	void textLogLinesHaveATraceColumnOnlyWhileTracesAreExported() {
		assertThat(process(Map.of()).getProperty("logging.expect-correlation-id")).isEqualTo("false");
		assertThat(process(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))
			.getProperty("logging.expect-correlation-id")).isNull();
		assertThat(
				process(Map.of("logging.expect-correlation-id", "true")).getProperty("logging.expect-correlation-id"))
			.isEqualTo("true");
	}

	private static StandardEnvironment process(Map<String, Object> settings) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
		settings().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

	@Test
	void sqliteGetsWalABusyTimeoutAFewConnectionsAndAdoptsTheOriginalsFile() {
		assertThat(DatabaseDefaults.forUrl("jdbc:sqlite:/data/t.db"))
			.containsEntry("spring.datasource.hikari.maximum-pool-size", 4)
			.containsEntry("spring.datasource.hikari.data-source-properties.journal_mode", "WAL")
			.containsEntry("spring.datasource.hikari.data-source-properties.busy_timeout", 10000)
			.containsEntry("spring.flyway.baseline-on-migrate", true)
			.doesNotContainKey("tokman.token.database-lock");
	}

	@Test
	void postgresqlGetsRowLocksAndNoSqlitePragmas() {
		assertThat(DatabaseDefaults.forUrl("jdbc:postgresql://db:5432/tokman"))
			.containsEntry("tokman.token.database-lock", true)
			.containsEntry("spring.datasource.hikari.maximum-pool-size", 10)
			.doesNotContainKey("spring.datasource.hikari.data-source-properties.journal_mode")
			.doesNotContainKey("spring.flyway.baseline-on-migrate");
	}

	@Test
	void explicitSettingsOutrankTheDatabaseDefaults() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("application.yml", Map.of("spring.datasource.url", "jdbc:sqlite:x.db",
					"spring.datasource.hikari.maximum-pool-size", "2")));
		settings().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.datasource.hikari.maximum-pool-size")).isEqualTo("2");
		assertThat(environment.getProperty("spring.datasource.hikari.data-source-properties.journal_mode"))
			.isEqualTo("WAL");
	}

	@Test
	void workersSetRequestThreadsButNeverFewerThanTheMinimum() {
		assertThat(translate("WORKERS", "1"))
			.containsOnly(entry("server.tomcat.threads.max", OriginalNames.MIN_THREADS));
		assertThat(translate("WORKERS", "64")).containsOnly(entry("server.tomcat.threads.max", 64));
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> translate("WORKERS", "0"));
	}

	@Test
	void logLevelSetsTokmansLevelAndKeepsLibrariesOffDebug() {
		assertThat(translate("LOG_LEVEL", "warning")).containsOnly(entry("logging.level.io.tokman", "WARN"),
				entry("logging.level.root", "WARN"));
		assertThat(translate("LOG_LEVEL", "DEBUG")).containsOnly(entry("logging.level.io.tokman", "DEBUG"),
				entry("logging.level.root", "INFO"));
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> translate("LOG_LEVEL", "loud"));
	}

	@Test
	void jsonLogFormatSwitchesToStructuredLogging() {
		assertThat(translate("LOG_FORMAT", "json")).containsOnly(entry("logging.structured.format.console", "ecs"));
		assertThat(translate("LOG_FORMAT", "text")).isEmpty();
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> translate("LOG_FORMAT", "xml"));
	}

	@Test
	void tokmanConfigFileIsLoadedBelowTheEnvironmentAndAboveApplicationYml() throws IOException {
		Path config = Files.writeString(this.directory.resolve("tokman.yml"),
				"GITHUB_APP_ID: 111\nTOKEN_RENEW_AT: 120\nBIND_ADDR: 0.0.0.0:8080\n");
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new MapPropertySource("application.yml", Map.of("TOKEN_RENEW_AT", "30", "GITHUB_APP_ID", "1")));
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new MapPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("TOKMAN_CONFIG", config.toString(), "GITHUB_APP_ID", "999")));
		settings().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("GITHUB_APP_ID")).isEqualTo("999");
		assertThat(environment.getProperty("TOKEN_RENEW_AT")).isEqualTo("120");
		assertThat(environment.getProperty("server.port")).isEqualTo("8080");
	}

	@Test
	void exampleConfigurationFileIsValidAndUsesTheOriginalNames() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("TOKMAN_CONFIG", "application.yml.example")));
		settings().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("GITHUB_APP_ID")).isEqualTo("12345");
		assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:sqlite:access_tokens.db");
		assertThat(environment.getProperty("server.port")).isEqualTo("8000");
		assertThat(environment.getProperty("logging.level.io.tokman")).isEqualTo("INFO");
	}

	/**
	 * application.yml.example shows every setting of the README's configuration tables,
	 * and where it shows one commented out, it shows the README's default; tokman knows
	 * every name in it.
	 */
	@Test
	void exampleFileShowsEverySettingOfTheReadmeWithTheReadmesDefault() throws IOException {
		Pattern line = Pattern.compile("(# )?([A-Z][A-Z0-9_]*|[a-z][a-z0-9.-]*): (\\S.*?)(?:\\s+#.*)?");
		Map<String, String> shown = new LinkedHashMap<>();
		Map<String, String> commented = new LinkedHashMap<>();
		StringBuilder uncommented = new StringBuilder();
		for (String text : Files.readAllLines(Path.of("application.yml.example"))) {
			Matcher setting = line.matcher(text);
			if (setting.matches()) {
				shown.putIfAbsent(setting.group(2), setting.group(3));
				if (setting.group(1) != null) {
					commented.putIfAbsent(setting.group(2), setting.group(3));
				}
				uncommented.append(setting.group(2)).append(": ").append(setting.group(3)).append('\n');
			}
		}
		Map<String, String> documented = new LinkedHashMap<>(Readme.settings());
		assertThat(documented).hasSizeGreaterThan(40);
		documented.remove(OriginalNames.CONFIG);
		assertThat(shown.keySet()).containsExactlyInAnyOrderElementsOf(documented.keySet());
		documented.forEach((name, defaultValue) -> {
			Matcher literal = Pattern.compile("`([^`]+)`").matcher(defaultValue);
			if (commented.containsKey(name) && literal.matches()) {
				assertThat(commented.get(name)).as(name).isEqualTo(literal.group(1));
			}
		});
		Path every = Files.writeString(this.directory.resolve("every.yml"), uncommented);
		assertThat(process(Map.of("TOKMAN_CONFIG", every.toString())).getProperty("management.server.address"))
			.isEqualTo("127.0.0.1");
	}

	@Test
	void missingTokmanConfigFileStopsStartupNamingIt() {
		StandardEnvironment environment = new StandardEnvironment();
		Path missing = this.directory.resolve("missing.yml");
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("TOKMAN_CONFIG", missing.toString())));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> settings().postProcessEnvironment(environment, new SpringApplication()))
			.withMessage("TOKMAN_CONFIG: cannot read " + missing);
	}

	@Test
	void originalNamesSetTokmansPropertiesAndTheKeyPathOutranksSecretsDir() {
		assertThat(OriginalNames.translate(Map.of("GITHUB_APP_ID", "7", "TOKMAN_NAMESPACES", "packit", "SECRETS_DIR",
				"/secrets", "TOKEN_RENEW_AT", "90")::get))
			.containsOnly(entry("tokman.github.app-id", "7"), entry("tokman.access.namespaces", "packit"),
					entry("tokman.github.private-key", "/secrets"), entry("tokman.token.renew-at", "90"));
		assertThat(OriginalNames
			.translate(Map.of("SECRETS_DIR", "/secrets", "GITHUB_APP_PRIVATE_KEY", "/elsewhere/key.pem")::get))
			.containsOnly(entry("tokman.github.private-key", "/elsewhere/key.pem"));
	}

	@Test
	void unknownSettingInAFileStopsStartupNamingItAndTheNearestName() throws IOException {
		Path config = Files.writeString(this.directory.resolve("tokman.yml"), "TOKEN_RENEW_ATT: 120\n");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> process(Map.of("TOKMAN_CONFIG", config.toString())))
			.withMessage("Unknown setting 'TOKEN_RENEW_ATT' in TOKMAN_CONFIG " + config)
			.satisfies((ex) -> assertThat(ex.action()).startsWith("Did you mean TOKEN_RENEW_AT?"));
		for (String typo : List.of("tokman.github.call-timout", "tokman.token.cache-sizee", "tokman.tokne.cache-size",
				"tokmna.token.cache-size")) {
			Path file = Files.writeString(this.directory.resolve("typo.yml"), typo + ": 1\n");
			if (typo.startsWith("tokman.github") || typo.startsWith("tokman.token")) {
				// Under tokman's own prefixes, their records refuse it when they bind.
				assertThat(process(Map.of("TOKMAN_CONFIG", file.toString())).getProperty(typo)).isEqualTo("1");
			}
			else {
				assertThatExceptionOfType(InvalidSettingException.class)
					.isThrownBy(() -> process(Map.of("TOKMAN_CONFIG", file.toString())))
					.withMessageContaining("Unknown setting '" + typo + "'");
			}
		}
	}

	@Test
	void nearMissOfAnOriginalNameInTheEnvironmentStopsStartupOtherVariablesDoNot() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> processWithEnvironment(Map.of("TOKEN_RENEW_ATT", "120")))
			.withMessage("Unknown setting 'TOKEN_RENEW_ATT' in the environment");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> processWithEnvironment(Map.of("TOKMAN_NAMESPACE", "packit")))
			.satisfies((ex) -> assertThat(ex.action()).startsWith("Did you mean TOKMAN_NAMESPACES?"));
		// What Kubernetes adds for a Service named tokman, and other programs' variables.
		processWithEnvironment(Map.of("TOKMAN_SERVICE_HOST", "10.0.0.1", "TOKMAN_PORT", "tcp://10.0.0.1:8000", "HOME",
				"/data", "JAVA_HOME", "/opt/java", "PATH", "/bin"));
	}

	@Test
	void environmentOverridingAFileIsSaidOncePerSettingWithoutValues(CapturedOutput output) throws IOException {
		Path config = Files.writeString(this.directory.resolve("tokman.yml"),
				"BIND_ADDR: 127.0.0.1:19221\nDB_PASSWORD: from-file\nTOKEN_RENEW_AT: 90\n"
						+ "tokman.github.call-timeout: 5s\n");
		DeferredLogs logs = new DeferredLogs();
		StandardEnvironment environment = environment(
				Map.of("TOKMAN_CONFIG", config.toString(), "BIND_ADDR", "0.0.0.0:8000", "DB_PASSWORD",
						"from-environment", "TOKEN_RENEW_AT", "90", "TOKMAN_GITHUB_CALLTIMEOUT", "20s"));
		new LegacySettings(logs).postProcessEnvironment(environment, new SpringApplication());
		logs.switchOverAll();
		assertThat(environment.getProperty("server.address")).isEqualTo("0.0.0.0");
		assertThat(output)
			.contains("BIND_ADDR is set both in TOKMAN_CONFIG " + config
					+ " and in the environment; the environment's value is used")
			.contains("DB_PASSWORD is set both in")
			.contains("tokman.github.call-timeout is set both in")
			.doesNotContain("TOKEN_RENEW_AT is set")
			.doesNotContain("from-file")
			.doesNotContain("from-environment");
	}

	@Test
	void originalPythonConfigIsReadForItsSimpleAssignments() throws IOException {
		Path config = Files.writeString(this.directory.resolve("config.py"), """
				SQLALCHEMY_DATABASE_URI = "sqlite:///%s/access_tokens.db"
				SQLALCHEMY_TRACK_MODIFICATIONS = False
				GITHUB_APP_ID = 9999
				GITHUB_APP_PRIVATE_KEY = '/secrets/private-key.pem'
				# How many seconds before expiration should tokens be renewed?
				TOKEN_RENEW_AT = 60  # seconds
				SENTRY_SECRET = "https://key@sentry.example/1"
				DEPLOYMENT = "prod"
				""".formatted(this.directory));
		StandardEnvironment environment = process(Map.of("TOKMAN_CONFIG", config.toString()));
		assertThat(environment.getProperty("spring.datasource.url"))
			.isEqualTo("jdbc:sqlite:" + this.directory + "/access_tokens.db");
		assertThat(environment.getProperty("tokman.github.app-id")).isEqualTo("9999");
		assertThat(environment.getProperty("tokman.github.private-key")).isEqualTo("/secrets/private-key.pem");
		assertThat(environment.getProperty("tokman.token.renew-at")).isEqualTo("60");
		assertThat(environment.getProperty("sentry.dsn")).isEqualTo("https://key@sentry.example/1");
		assertThat(environment.getProperty("sentry.environment")).isEqualTo("prod");
	}

	@Test
	void pythonConfigThatIsMoreThanAssignmentsStopsStartupNamingTheLineAndTheYamlSettings() throws IOException {
		Path config = Files.writeString(this.directory.resolve("config.py"),
				"import os\nGITHUB_APP_ID = 9999\nSQLALCHEMY_DATABASE_URI = os.getenv('DB')\n");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> process(Map.of("TOKMAN_CONFIG", config.toString())))
			.withMessage("TOKMAN_CONFIG: " + config
					+ " reads as the original tokman's Python config, and its line 1 is not a simple assignment")
			.satisfies((ex) -> assertThat(ex.action()).contains("DB_URI: sqlite:////path.db"));
		Path unknown = Files.writeString(this.directory.resolve("other.py"), "SECRET_KEY = 'x'\n");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> process(Map.of("TOKMAN_CONFIG", unknown.toString())))
			.withMessageEndingWith("its line 1 sets SECRET_KEY, which tokman does not know");
	}

	@Test
	void sqliteFileUriIsDecodedAsSqliteDecodesIt() {
		assertThat(DatabaseFiles.sqlitePath("jdbc:sqlite:file:/d/my%20db.sqlite?mode=rwc"))
			.isEqualTo(Path.of("/d/my db.sqlite"));
		// As text: a JVM without a UTF-8 locale has no path for it.
		assertThat(DatabaseFiles.sqliteName("jdbc:sqlite:file:///d/t%C3%B6kens.db")).isEqualTo("/d/tökens.db");
		assertThat(DatabaseFiles.sqlitePath("jdbc:sqlite:file://localhost/d/t.db#x")).isEqualTo(Path.of("/d/t.db"));
		assertThat(DatabaseFiles.sqlitePath("jdbc:sqlite:file:relative%25.db")).isEqualTo(Path.of("relative%.db"));
		assertThat(DatabaseFiles.sqlitePath("jdbc:sqlite:/d/plain%20name.db?foo=bar"))
			.isEqualTo(Path.of("/d/plain%20name.db"));
		assertThat(DatabaseFiles.sqlitePath("jdbc:sqlite:file::memory:?cache=shared")).isNull();
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> DatabaseFiles.sqlitePath("jdbc:sqlite:file:/d/100%.db"))
			.withMessageStartingWith("DB_URI: jdbc:sqlite:file:/d/100%.db is not a valid SQLite file: URI");
		assertThat(DatabaseFiles.sqlitePath("jdbc:postgresql://db/tokman")).isNull();
	}

	@Test
	void sqliteFileTokmanCannotUseStopsStartupWithOneReportNamingTheSettingPathUserAndFix() throws IOException {
		Path missing = this.directory.resolve("no-such-folder/tokens.db");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> DatabaseFiles.secure("jdbc:sqlite:" + missing))
			.withMessage("DB_URI: cannot use the SQLite file " + missing + ": its folder " + missing.getParent()
					+ " does not exist")
			.satisfies((ex) -> assertThat(ex.action()).startsWith("Create it (mkdir -p " + missing.getParent())
				.contains("writable by user " + System.getProperty("user.name") + " (UID "));
		// A file even root may not change (procfs refuses its chmod), in a folder tokman
		// may write: what another user's file is to tokman.
		Path foreign = Files.createSymbolicLink(this.directory.resolve("foreign.db"), Path.of("/proc/self/stat"));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> DatabaseFiles.secure("jdbc:sqlite:" + foreign))
			.withMessageStartingWith("DB_URI: cannot use the SQLite file " + foreign + ": tokman may not change it (it "
					+ "belongs to UID 0, tokman runs as user ")
			.satisfies((ex) -> assertThat(ex.action()).startsWith("Give the file to tokman's user: chown "));
	}

	private static StandardEnvironment environment(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		return environment;
	}

	private static StandardEnvironment processWithEnvironment(Map<String, Object> variables) {
		StandardEnvironment environment = environment(variables);
		settings().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

	private static LegacySettings settings() {
		return new LegacySettings(new DeferredLogs());
	}

	private static Map<String, Object> translate(String name, String value) {
		return OriginalNames.translate(Map.of(name, value)::get);
	}

}
