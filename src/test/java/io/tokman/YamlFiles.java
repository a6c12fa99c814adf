package io.tokman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/**
 * The repository's YAML files (workflows, manifests) as the tests read them: SnakeYAML's
 * maps and lists, with YAML's null read as empty.
 */
final class YamlFiles {

	private YamlFiles() {
	}

	/** A file of one document. */
	static Map<String, Object> load(Path file) {
		return new Yaml().load(read(file));
	}

	/** A file of one or more documents, empty ones left out. */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> loadAll(Path file) {
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : new Yaml().loadAll(read(file))) {
			if (document != null) {
				documents.add((Map<String, Object>) document);
			}
		}
		return documents;
	}

	/**
	 * A mapping, or an empty one for YAML's null ({@code push:} with nothing under it).
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (value != null) ? (Map<String, Object>) value : Map.of();
	}

	/** A sequence, or an empty one for YAML's null. */
	static List<?> list(Object value) {
		return (value != null) ? (List<?>) value : List.of();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new AssertionError(file + " cannot be read", ex);
		}
	}

}
