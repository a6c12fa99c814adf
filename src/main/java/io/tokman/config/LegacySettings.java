package io.tokman.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * names, adds the properties the original names stand for ({@link OriginalNames}) and,
 * below everything, the defaults that suit the database in use. Defaults of tokman's own
 * properties live with those properties, not here.
 *
 * <p>
 * Precedence, highest first: command line and system properties, environment,
 * {@code TOKMAN_CONFIG}, {@code application.yml}.
 */
class LegacySettings implements EnvironmentPostProcessor, Ordered {

	/** After application.yml is loaded, so that its values of these names count too. */
	static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

	private static final String SOURCE = "tokmanSettings";

	private static final String CORRELATION = "logging.expect-correlation-id";

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
		String config = environment.getProperty("TOKMAN_CONFIG");
		if (config != null && !config.isBlank()) {
			List<PropertySource<?>> loaded = loadYaml(Path.of(config));
			for (int i = loaded.size() - 1; i >= 0; i--) {
				sources.addAfter(anchor, loaded.get(i));
			}
		}
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
		DatabaseFiles.secure(environment.getProperty("spring.datasource.url", ""));
		// Last, so that any file or variable that sets one of these explicitly wins.
		sources.addLast(new MapPropertySource(SOURCE + "DatabaseDefaults",
				DatabaseDefaults.forUrl(environment.getProperty("spring.datasource.url", ""))));
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
			throw new InvalidSettingException("TOKMAN_CONFIG: " + path.toAbsolutePath() + " is not valid YAML",
					"Fix the file; application.yml.example shows its form.");
		}
	}

}
