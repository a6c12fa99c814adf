package io.tokman;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * As much of kustomize as deploy/kubernetes uses, so that a test reads an overlay as
 * {@code kubectl apply -k} would without a kubectl: resources (files and directories),
 * components, strategic-merge patches (lists of named entries merged by name, a null
 * deleting a key) and a ConfigMap generator (named without kustomize's hash suffix).
 */
final class Kustomize {

	private Kustomize() {
	}

	/** The resources the kustomization in this directory renders to. */
	static List<Map<String, Object>> build(Path directory) {
		Map<String, Object> kustomization = YamlFiles.load(directory.resolve("kustomization.yaml"));
		List<Map<String, Object>> resources = new ArrayList<>();
		for (Object resource : YamlFiles.list(kustomization.get("resources"))) {
			Path path = directory.resolve((String) resource).normalize();
			resources.addAll(Files.isDirectory(path) ? build(path) : YamlFiles.loadAll(path));
		}
		for (Object generator : YamlFiles.list(kustomization.get("configMapGenerator"))) {
			Map<String, Object> data = new LinkedHashMap<>();
			for (Object literal : YamlFiles.list(YamlFiles.map(generator).get("literals"))) {
				String pair = (String) literal;
				data.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
			}
			resources.add(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata",
					Map.of("name", YamlFiles.map(generator).get("name")), "data", data));
		}
		for (Object component : YamlFiles.list(kustomization.get("components"))) {
			resources.addAll(build(directory.resolve((String) component).normalize()));
		}
		for (Object patch : YamlFiles.list(kustomization.get("patches"))) {
			for (Map<String, Object> change : YamlFiles
				.loadAll(directory.resolve((String) YamlFiles.map(patch).get("path")))) {
				int target = indexOf(resources, (String) change.get("kind"), name(change));
				resources.set(target, merge(resources.get(target), change));
			}
		}
		return resources;
	}

	/** The one resource of this kind and name. */
	static Map<String, Object> find(List<Map<String, Object>> resources, String kind, String name) {
		return resources.get(indexOf(resources, kind, name));
	}

	private static int indexOf(List<Map<String, Object>> resources, String kind, String name) {
		for (int i = 0; i < resources.size(); i++) {
			if (kind.equals(resources.get(i).get("kind")) && name.equals(name(resources.get(i)))) {
				return i;
			}
		}
		throw new AssertionError("no " + kind + " " + name);
	}

	private static String name(Map<String, Object> resource) {
		return (String) YamlFiles.map(resource.get("metadata")).get("name");
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> patch) {
		Map<String, Object> merged = new LinkedHashMap<>(base);
		patch.forEach((key, value) -> {
			Object current = merged.get(key);
			if (value == null) {
				merged.remove(key);
			}
			else if (current instanceof Map && value instanceof Map) {
				merged.put(key, merge((Map<String, Object>) current, (Map<String, Object>) value));
			}
			else if (current instanceof List && value instanceof List && named((List<?>) current)
					&& named((List<?>) value)) {
				merged.put(key, mergeByName((List<Map<String, Object>>) current, (List<Map<String, Object>>) value));
			}
			else {
				merged.put(key, value);
			}
		});
		return merged;
	}

	private static List<Map<String, Object>> mergeByName(List<Map<String, Object>> base,
			List<Map<String, Object>> patch) {
		List<Map<String, Object>> merged = new ArrayList<>(base);
		for (Map<String, Object> entry : patch) {
			int index = -1;
			for (int i = 0; i < merged.size(); i++) {
				if (Objects.equals(merged.get(i).get("name"), entry.get("name"))) {
					index = i;
				}
			}
			if (index < 0) {
				merged.add(entry);
			}
			else {
				merged.set(index, merge(merged.get(index), entry));
			}
		}
		return merged;
	}

	private static boolean named(List<?> list) {
		return !list.isEmpty()
				&& list.stream().allMatch((entry) -> entry instanceof Map<?, ?> map && map.containsKey("name"));
	}

}
