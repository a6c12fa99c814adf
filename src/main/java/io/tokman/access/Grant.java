package io.tokman.access;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.tokman.config.InvalidSettingException;
import io.tokman.github.InvalidPermissionsException;
import io.tokman.github.Permissions;
import io.tokman.github.RepositoryName;
import io.tokman.github.TokenScope;

/**
 * The repositories a client may ask for: globs over {@code namespace/repository}, matched
 * case-insensitively as GitHub matches names ({@code packit/*}, {@code packit/ogr},
 * {@code rpms/python-*}); a bare {@code packit} means all of its repositories. No globs
 * means no repository. Optionally a permission ceiling: the most its tokens may do.
 */
final class Grant {

	private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9*-]{1,39}(/[A-Za-z0-9._*-]{1,100})?");

	static final Grant ALL = new Grant(List.of("*/*"));

	static final Grant NONE = new Grant(List.of());

	private final List<String> globs;

	private final List<Pattern> patterns;

	/**
	 * The owners all of whose repositories are granted: the owner part of globs ending in
	 * /*.
	 */
	private final List<Pattern> wholeOwners;

	/** The most a token may do; {@link Permissions#INSTALLATION} for no ceiling. */
	private final Permissions ceiling;

	Grant(List<String> globs) {
		this(globs, Permissions.INSTALLATION);
	}

	Grant(List<String> globs, Permissions ceiling) {
		this.ceiling = ceiling;
		for (String glob : globs) {
			if (!GLOB.matcher(glob).matches()) {
				throw new InvalidSettingException("Grant '" + glob + "' is not a namespace/repository glob",
						"Write grants as packit/*, packit/ogr or rpms/python-* (letters, digits, '.', '-', '_', '*').");
			}
		}
		this.globs = List.copyOf(globs);
		List<String> full = this.globs.stream().map((glob) -> glob.contains("/") ? glob : glob + "/*").toList();
		this.patterns = full.stream().map(Grant::pattern).toList();
		this.wholeOwners = full.stream()
			.filter((glob) -> glob.endsWith("/*"))
			.map((glob) -> pattern(glob.substring(0, glob.length() - 2)))
			.toList();
	}

	/** A ceiling as configured; a mistake in it stops startup. */
	static Permissions ceiling(String client, String permissions) {
		try {
			return Permissions.parse(permissions);
		}
		catch (InvalidPermissionsException ex) {
			throw new InvalidSettingException("Client " + client + ": " + ex.getMessage(),
					"Write a ceiling as permissions=contents:read,pull_requests:write, GitHub's names and levels.");
		}
	}

	/** The globs, as configured. */
	List<String> globs() {
		return this.globs;
	}

	/**
	 * Whether the grant covers every repository of the scope; for a token of all of an
	 * owner's repositories (an owner token without repositories, or an installation-wide
	 * token), a glob that names all of them ({@code packit/*}).
	 */
	boolean allows(TokenScope scope) {
		if ((scope.kind() == TokenScope.Kind.OWNER && scope.repositories().isEmpty())
				|| scope.kind() == TokenScope.Kind.INSTALLATION) {
			String owner = scope.owner().toLowerCase(Locale.ROOT);
			return this.wholeOwners.stream().anyMatch((pattern) -> pattern.matcher(owner).matches());
		}
		String owner = scope.owner() + "/";
		for (String repository : scope.repositories()) {
			if (!allows(owner + repository)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The permissions a token asked for may have: those asked for if within the ceiling,
	 * the ceiling if none were asked for; null if beyond it.
	 */
	Permissions limit(Permissions asked) {
		if (this.ceiling.isEmpty()) {
			return asked;
		}
		if (asked.isEmpty()) {
			return this.ceiling;
		}
		return asked.within(this.ceiling) ? asked : null;
	}

	boolean allows(RepositoryName repository) {
		return allows(repository.toString());
	}

	private boolean allows(String repository) {
		String name = repository.toLowerCase(Locale.ROOT);
		for (Pattern pattern : this.patterns) {
			if (pattern.matcher(name).matches()) {
				return true;
			}
		}
		return false;
	}

	private static Pattern pattern(String glob) {
		StringBuilder regex = new StringBuilder();
		for (String part : glob.toLowerCase(Locale.ROOT).split("\\*", -1)) {
			regex.append(Pattern.quote(part)).append("[^/]*");
		}
		return Pattern.compile(regex.substring(0, regex.length() - "[^/]*".length()));
	}

	@Override
	public String toString() {
		return "Grant" + this.globs + (this.ceiling.isEmpty() ? "" : " permissions=" + this.ceiling.text());
	}

}
