package io.tokman.access;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.tokman.config.InvalidSettingException;
import io.tokman.github.RepositoryName;

/**
 * The repositories a client may ask for: globs over {@code namespace/repository}, matched
 * case-insensitively as GitHub matches names ({@code packit/*}, {@code packit/ogr},
 * {@code rpms/python-*}); a bare {@code packit} means all of its repositories. No globs
 * means no repository.
 *
 * @param globs the globs, as configured
 */
record Grant(List<String> globs) {

	private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9*-]{1,39}(/[A-Za-z0-9._*-]{1,100})?");

	static final Grant ALL = new Grant(List.of("*/*"));

	static final Grant NONE = new Grant(List.of());

	Grant {
		for (String glob : globs) {
			if (!GLOB.matcher(glob).matches()) {
				throw new InvalidSettingException("Grant '" + glob + "' is not a namespace/repository glob",
						"Write grants as packit/*, packit/ogr or rpms/python-* (letters, digits, '.', '-', '_', '*').");
			}
		}
		globs = List.copyOf(globs);
	}

	boolean allows(RepositoryName repository) {
		String name = repository.key();
		return this.globs.stream().anyMatch((glob) -> matches(glob.contains("/") ? glob : glob + "/*", name));
	}

	private static boolean matches(String glob, String name) {
		StringBuilder regex = new StringBuilder();
		for (String part : glob.toLowerCase(Locale.ROOT).split("\\*", -1)) {
			regex.append(Pattern.quote(part)).append("[^/]*");
		}
		return name.matches(regex.substring(0, regex.length() - "[^/]*".length()));
	}

}
