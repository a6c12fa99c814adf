package io.tokman.config;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Refuses settings tokman does not know, so that a typo never leaves a default (or an
 * open door) in place without a word. In a settings file or on the command line, every
 * key must be an original name or a property of a library tokman configures, and every
 * {@code tokman.*} key must lie under one of tokman's prefixes, whose records refuse keys
 * they lack ({@link StrictBinding}). The environment is shared with other programs
 * (Kubernetes adds {@code TOKMAN_SERVICE_HOST} for a Service named tokman), so there only
 * a near miss of an original name stops startup ({@code TOKEN_RENEW_ATT}); misspelt
 * {@code TOKMAN_GITHUB_*} variables are refused by those records.
 */
final class KnownSettings {

	/** The prefixes of tokman's own properties, each bound by a record of its own. */
	static final List<String> PREFIXES = List.of("tokman.access", "tokman.apps", "tokman.github", "tokman.log",
			"tokman.token");

	/**
	 * What else a settings file may configure: Spring Boot, its libraries, Sentry,
	 * OpenTelemetry.
	 */
	private static final Set<String> ROOTS = Set.of("spring", "server", "management", "logging", "springdoc", "sentry",
			"otel", "debug", "trace", "tokman");

	private static final String COMMAND_LINE = "commandLineArgs";

	/** How Spring Boot names the sources of application.yml files. */
	private static final String CONFIG_DATA = "Config resource ";

	private static final Pattern ORIGINAL_STYLE = Pattern.compile("[A-Z][A-Z0-9_]*");

	private KnownSettings() {
	}

	/**
	 * Throws, naming the first unknown setting and where it was found: in what an
	 * operator writes (settings files, TOKMAN_CONFIG, the command line) any unknown key,
	 * in the environment and the JVM's system properties a near miss of an original name.
	 */
	static void check(ConfigurableEnvironment environment, Set<String> originalNames) {
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			boolean shared = source.getName().equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
					|| source.getName().equals(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
			boolean written = source.getName().equals(COMMAND_LINE) || source.getName().startsWith(CONFIG_DATA)
					|| source.getName().startsWith(LegacySettings.CONFIG_SOURCE);
			for (String name : enumerable.getPropertyNames()) {
				if (shared) {
					checkNearMiss(source, name, originalNames);
				}
				else if (written) {
					checkKnown(source, name, originalNames);
				}
			}
		}
	}

	private static void checkKnown(PropertySource<?> source, String name, Set<String> originalNames) {
		if (ORIGINAL_STYLE.matcher(name).matches()) {
			if (!originalNames.contains(name)) {
				throw unknown(name, source, nearest(name, originalNames));
			}
			return;
		}
		ConfigurationPropertyName property = ConfigurationPropertyName.adapt(name, '.');
		if (property.isEmpty()) {
			throw unknown(name, source, Optional.empty());
		}
		String root = property.getElement(0, ConfigurationPropertyName.Form.UNIFORM);
		if (!ROOTS.contains(root)) {
			throw unknown(name, source, Optional.empty());
		}
		if (root.equals("tokman") && PREFIXES.stream()
			.noneMatch((prefix) -> ConfigurationPropertyName.of(prefix).isAncestorOf(property))) {
			throw unknown(name, source, Optional.empty());
		}
	}

	private static void checkNearMiss(PropertySource<?> source, String name, Set<String> originalNames) {
		if (!ORIGINAL_STYLE.matcher(name).matches() || originalNames.contains(name)) {
			return;
		}
		Optional<String> nearest = nearest(name, originalNames);
		if (nearest.isPresent()) {
			throw unknown(name, source, nearest);
		}
	}

	/** The original name one or two edits away (one for short names), if any. */
	static Optional<String> nearest(String name, Set<String> originalNames) {
		int allowed = (name.length() < 10) ? 1 : 2;
		return originalNames.stream()
			.filter((known) -> distance(name, known) <= allowed)
			.min(Comparator.comparingInt((String known) -> distance(name, known)));
	}

	/** Levenshtein's edit distance. */
	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	private static InvalidSettingException unknown(String name, PropertySource<?> source, Optional<String> nearest) {
		String where = describe(source);
		String hint = nearest.map((known) -> "Did you mean " + known + "? ").orElse("");
		return new InvalidSettingException("Unknown setting '" + name + "' in " + where,
				hint + "Remove or correct it: tokman refuses settings it does not know, so that a misspelt one never "
						+ "goes unnoticed. The README's configuration table and application.yml.example list every "
						+ "setting.");
	}

	/** Where a setting came from, as an operator would name it. */
	static String describe(PropertySource<?> source) {
		String name = source.getName();
		if (name.equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
			return "the environment";
		}
		if (name.equals(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)) {
			return "the JVM's system properties";
		}
		if (name.equals(COMMAND_LINE)) {
			return "the command line";
		}
		return Stream.of(name.split("'"))
			.filter((part) -> part.startsWith("file [") || part.startsWith("class path resource ["))
			.findFirst()
			.map((part) -> part.substring(part.indexOf('[') + 1, part.length() - 1))
			.orElse(name.startsWith(LegacySettings.CONFIG_SOURCE) ? name : "'" + name + "'");
	}

}
