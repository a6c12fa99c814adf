package io.tokman;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No settings record prints a secret: every {@code @ConfigurationProperties} record of
 * tokman is made with a distinct value in each setting, those named for a secret (a DSN,
 * a password, a token, API keys, a collector's URL, which may carry credentials) marked,
 * and its {@code toString()}, nested records included, holds none of the marked values.
 */
class SettingsToStringTests {

	private static final Pattern SECRET = Pattern.compile("(?i).*(dsn|password|secret|token|apikeys|endpoint)");

	private final List<String> secrets = new ArrayList<>();

	private int next;

	@Test
	void noSettingsRecordPrintsASecret() throws Exception {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		Set<BeanDefinition> found = scanner.findCandidateComponents("io.tokman");
		assertThat(found).hasSizeGreaterThanOrEqualTo(5);
		for (BeanDefinition definition : found) {
			Class<?> type = Class.forName(definition.getBeanClassName());
			this.secrets.clear();
			String printed = String.valueOf(make(type, false));
			for (String secret : this.secrets) {
				assertThat(printed).as(type.getSimpleName()).doesNotContain(secret);
			}
			if (type.getSimpleName().equals("SentryProperties")) {
				assertThat(this.secrets).as("the DSN is a secret").hasSize(1);
			}
		}
	}

	private Object make(Type type, boolean secret) throws Exception {
		if (type instanceof ParameterizedType generic) {
			Class<?> raw = (Class<?>) generic.getRawType();
			if (raw == List.class) {
				return List.of(make(generic.getActualTypeArguments()[0], secret));
			}
			if (raw == Set.class) {
				return Set.of(make(generic.getActualTypeArguments()[0], secret));
			}
			if (raw == Map.class) {
				return Map.of(make(generic.getActualTypeArguments()[0], false),
						make(generic.getActualTypeArguments()[1], secret));
			}
		}
		Class<?> raw = (Class<?>) type;
		String value = "value" + (++this.next) + "x";
		if (secret && (raw == String.class || raw == URI.class)) {
			// Only text can hold a secret: a duration or a number marked secret is not.
			this.secrets.add(value);
		}
		if (raw == String.class) {
			return value;
		}
		if (raw == URI.class) {
			return URI.create(secret ? "https://user:" + value + "@collector.example:4318/" + value + "?key=" + value
					: "https://issuer.example/" + value);
		}
		if (raw == Duration.class) {
			return Duration.ofSeconds(this.next);
		}
		if (raw == int.class || raw == Integer.class) {
			return this.next;
		}
		if (raw == long.class || raw == Long.class) {
			return (long) this.next;
		}
		if (raw == boolean.class || raw == Boolean.class) {
			return true;
		}
		if (raw == Path.class) {
			return Path.of("/settings/" + value);
		}
		if (raw.isEnum()) {
			return raw.getEnumConstants()[0];
		}
		if (raw.isRecord()) {
			RecordComponent[] components = raw.getRecordComponents();
			Object[] values = new Object[components.length];
			Class<?>[] types = new Class<?>[components.length];
			for (int i = 0; i < components.length; i++) {
				types[i] = components[i].getType();
				values[i] = make(components[i].getGenericType(),
						secret || SECRET.matcher(components[i].getName()).matches());
			}
			Constructor<?> constructor = raw.getDeclaredConstructor(types);
			constructor.setAccessible(true);
			return constructor.newInstance(values);
		}
		throw new AssertionError("No value made for a setting of type " + raw.getName() + ": add one here");
	}

}
