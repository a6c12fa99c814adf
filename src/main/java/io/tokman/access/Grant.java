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
 */
final class Grant {

	private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9*-]{1,39}(/[A-Za-z0-9._*-]{1,100})?");

	static final Grant ALL = new Grant(List.of("*/*"));

	static final Grant NONE = new Grant(List.of());

	private final List<String> globs;

	private final List<Pattern> patterns;

	Grant(List<String> globs) {
		for (String glob : globs) {
			if (!GLOB.matcher(glob).matches()) {
				throw new InvalidSettingException("Grant '" + glob + "' is not a namespace/repository glob",
						"Write grants as packit/*, packit/ogr or rpms/python-* (letters, digits, '.', '-', '_', '*').");
			}
		}
		this.globs = List.copyOf(globs);
		this.patterns = this.globs.stream().map(Grant::pattern).toList();
	}

	/** The globs, as configured. */
	List<String> globs() {
		return this.globs;
	}

	boolean allows(RepositoryName repository) {
		String name = repository.key();
		for (Pattern pattern : this.patterns) {
			if (pattern.matcher(name).matches()) {
				return true;
			}
		}
		return false;
	}

	private static Pattern pattern(String glob) {
		StringBuilder regex = new StringBuilder();
		for (String part : (glob.contains("/") ? glob : glob + "/*").toLowerCase(Locale.ROOT).split("\\*", -1)) {
			regex.append(Pattern.quote(part)).append("[^/]*");
		}
		return Pattern.compile(regex.substring(0, regex.length() - "[^/]*".length()));
	}

	@Override
	public String toString() {
		return "Grant" + this.globs;
	}

}
