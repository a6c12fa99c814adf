package io.tokman.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * Accepts the original tokman's settings: loads the file {@code TOKMAN_CONFIG} names
 * (YAML, or the original's Python assignments), refuses settings tokman does not know
 * ({@link KnownSettings}), says where the environment overrides a settings file, adds the
 * properties the original names stand for ({@link OriginalNames}) and, below everything,
 * the defaults that suit the database in use. Defaults of tokman's own properties live
 * with those properties, not here.
 *
 * <p>
 * Precedence, highest first: command line and system properties, environment,
 * {@code TOKMAN_CONFIG}, {@code application.yml}.
 */
class LegacySettings implements EnvironmentPostProcessor, Ordered {

	/** After application.yml is loaded, so that its values of these names count too. */
	static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

	/** The name of the property source of the TOKMAN_CONFIG file (a prefix of it). */
	static final String CONFIG_SOURCE = "TOKMAN_CONFIG";

	private static final String SOURCE = "tokmanSettings";

	private static final String CORRELATION = "logging.expect-correlation-id";

	private final Log log;

	LegacySettings(DeferredLogFactory logs) {
		this.log = logs.getLog(LegacySettings.class);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		MutablePropertySources sources = environment.getPropertySources();
		String anchor = sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
				? StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME
				: StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME;
		Set<String> originalNames = OriginalNames.names();
		String config = environment.getProperty(OriginalNames.CONFIG);
		if (config != null && !config.isBlank()) {
			List<PropertySource<?>> loaded = load(Path.of(config), originalNames);
			for (int i = loaded.size() - 1; i >= 0; i--) {
				sources.addAfter(anchor, loaded.get(i));
			}
		}
		KnownSettings.check(environment, originalNames);
		sayWhereTheEnvironmentWins(environment);
		Map<String, Object> translated = OriginalNames.translate(environment::getProperty);
		if (!translated.isEmpty()) {
			sources.addAfter(anchor, new MapPropertySource(SOURCE, translated));
		}
		// Spring Boot gives text log lines a column for trace and span ids whenever the
		// tracer is on the classpath; tokman makes spans only while exporting them.
		if (environment.getProperty(CORRELATION) == null
				&& environment.getProperty("otel.exporter.otlp.endpoint", "").isBlank()) {
			sources.addAfter(anchor, new MapPropertySource(SOURCE + "Logging", Map.of(CORRELATION, false)));
		}
		// Actuator on a port of its own listens where the API does, not on every
		// interface: it is open to anyone while authentication is off.
		String managementPort = environment.getProperty("management.server.port", "");
		String address = environment.getProperty("server.address");
		if (!managementPort.isBlank() && address != null
				&& environment.getProperty("management.server.address") == null) {
			sources.addLast(new MapPropertySource(SOURCE + "Management", Map.of("management.server.address", address)));
		}
		DatabaseFiles.secure(environment.getProperty("spring.datasource.url", ""));
		// Last, so that any file or variable that sets one of these explicitly wins.
		sources.addLast(new MapPropertySource(SOURCE + "DatabaseDefaults",
				DatabaseDefaults.forUrl(environment.getProperty("spring.datasource.url", ""))));
	}

	/**
	 * An operator who writes a setting in the TOKMAN_CONFIG file and finds another value
	 * in effect should not have to guess why: each setting of that file the environment
	 * overrides with another value is named, never with either value (it may be a
	 * password).
	 */
	private void sayWhereTheEnvironmentWins(ConfigurableEnvironment environment) {
		PropertySource<?> variables = environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		if (variables == null) {
			return;
		}
		ConfigurationPropertySource relaxed = ConfigurationPropertySource.from(variables);
		for (PropertySource<?> source : environment.getPropertySources()) {
			// TOKMAN_CONFIG only: an application.yml in the working directory is a
			// developer's, or in the image, the image's defaults.
			if (!source.getName().startsWith(CONFIG_SOURCE) || !(source instanceof EnumerablePropertySource<?> file)) {
				continue;
			}
			for (String name : file.getPropertyNames()) {
				Object fromFile = file.getProperty(name);
				Object fromEnvironment = variables.containsProperty(name) ? variables.getProperty(name)
						: environmentValue(relaxed, name);
				if (fromEnvironment != null && !Objects.equals(String.valueOf(fromFile), fromEnvironment.toString())) {
					this.log.warn(name + " is set both in " + KnownSettings.describe(source)
							+ " and in the environment; the environment's value is used");
				}
			}
		}
	}

	private static Object environmentValue(ConfigurationPropertySource variables, String name) {
		if (variables == null || !ConfigurationPropertyName.isValid(name)) {
			return null;
		}
		ConfigurationProperty property = variables.getConfigurationProperty(ConfigurationPropertyName.of(name));
		return (property != null) ? property.getValue() : null;
	}

	private static List<PropertySource<?>> load(Path path, Set<String> originalNames) {
		String text;
		try {
			text = Files.readString(path, StandardCharsets.UTF_8);
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidSettingException("TOKMAN_CONFIG: cannot read " + path.toAbsolutePath(),
					"Point TOKMAN_CONFIG at a readable YAML file, or unset it.");
		}
		String name = CONFIG_SOURCE + " " + path;
		if (PythonConfig.looksLikePython(path.toString(), text)) {
			return List.of(new MapPropertySource(name, PythonConfig.read(path.toString(), text, originalNames)));
		}
		try {
			return new YamlPropertySourceLoader().load(name, new FileSystemResource(path));
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidSettingException("TOKMAN_CONFIG: " + path.toAbsolutePath() + " is not valid YAML",
					"Fix the file; application.yml.example shows its form.");
		}
	}

}
