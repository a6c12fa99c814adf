package io.tokman.github;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a token is minted for: one repository (the default), the whole installation that
 * covers a repository (the original tokman's tokens), or an owner's installation, all of
 * its repositories or a set of them; each with the permissions asked for. Two scopes that
 * are equal share one token.
 *
 * <p>
 * Its parts: the kind; the owner, as the caller spelled it; the repository asked for
 * (one), or the set of an owner token (none for all of them), sorted case-insensitively,
 * each once; the permissions asked for, {@link Permissions#INSTALLATION} for all the
 * installation has.
 *
 * <p>
 * Two scopes are equal when GitHub would mint the same token for them: by the same App
 * ({@link GitHubApps#route}; "" for the App the original settings name), with owner and
 * repository names compared case-insensitively, as GitHub's are.
 */
public final class TokenScope {

	/** GitHub's limit on the repositories one installation token may name. */
	public static final int MAX_REPOSITORIES = 500;

	private final Kind kind;

	private final String owner;

	private final List<String> repositories;

	private final Permissions permissions;

	private final String app;

	/**
	 * What equality compares, made once: every request looks its token up by it several
	 * times.
	 */
	private final String identity;

	public TokenScope(Kind kind, String owner, List<String> repositories, Permissions permissions) {
		this(kind, owner, repositories, permissions, "");
	}

	private TokenScope(Kind kind, String owner, List<String> repositories, Permissions permissions, String app) {
		this.kind = kind;
		this.owner = owner;
		this.repositories = List.copyOf(repositories);
		this.permissions = permissions;
		this.app = app;
		this.identity = app + "@"
				+ (kind + ":" + owner + "/" + String.join(",", this.repositories)).toLowerCase(Locale.ROOT) + "#"
				+ permissions.text();
	}

	/** The same scope, minted by this App ("" for the App the original settings name). */
	TokenScope forApp(String app) {
		return app.equals(this.app) ? this
				: new TokenScope(this.kind, this.owner, this.repositories, this.permissions, app);
	}

	/** The id of the App that mints it; "" for the App the original settings name. */
	public String app() {
		return this.app;
	}

	public Kind kind() {
		return this.kind;
	}

	public String owner() {
		return this.owner;
	}

	public List<String> repositories() {
		return this.repositories;
	}

	public Permissions permissions() {
		return this.permissions;
	}

	/** A token for the repository alone, or for its whole installation. */
	public static TokenScope repository(RepositoryName repository, Permissions permissions, boolean wholeInstallation) {
		return new TokenScope(wholeInstallation ? Kind.INSTALLATION : Kind.REPOSITORY, repository.namespace(),
				List.of(repository.repository()), permissions);
	}

	/**
	 * A token for the owner's installation: for these of its repositories, or all of them
	 * if none is named. Names are checked as GitHub's, duplicates (in any case) dropped.
	 */
	public static TokenScope owner(String owner, List<String> repositories, Permissions permissions) {
		Map<String, String> distinct = new LinkedHashMap<>();
		for (String repository : repositories) {
			RepositoryName name = new RepositoryName(owner, repository.trim());
			distinct.putIfAbsent(name.repository().toLowerCase(Locale.ROOT), name.repository());
		}
		if (repositories.isEmpty()) {
			RepositoryName.checkOwner(owner);
		}
		if (distinct.size() > MAX_REPOSITORIES) {
			throw new InvalidRepositoryNameException(
					"Invalid repositories: at most " + MAX_REPOSITORIES + " repositories per token, as GitHub allows");
		}
		List<String> sorted = new ArrayList<>(distinct.values());
		sorted.sort(Comparator.comparing((String name) -> name.toLowerCase(Locale.ROOT)));
		return new TokenScope(Kind.OWNER, owner, sorted, permissions);
	}

	/** The repository whose installation is looked up; for kinds other than owner. */
	public RepositoryName repository() {
		return new RepositoryName(this.owner, this.repositories.get(0));
	}

	/** Where the App must be installed: {@code packit/ogr}, or {@code packit}. */
	public String where() {
		return (this.kind == Kind.OWNER) ? this.owner : this.owner + "/" + this.repositories.get(0);
	}

	/** The repositories the token is limited to; none for installation-wide tokens. */
	public List<String> limitedTo() {
		return (this.kind == Kind.INSTALLATION) ? List.of() : this.repositories;
	}

	/**
	 * The token request's body: the repositories and permissions the token is limited to,
	 * each left out when it is not, so that GitHub gives the installation's own.
	 */
	Map<String, Object> tokenRequest() {
		Map<String, Object> body = new LinkedHashMap<>();
		if (!limitedTo().isEmpty()) {
			body.put("repositories", limitedTo());
		}
		if (!this.permissions.isEmpty()) {
			body.put("permissions", this.permissions.asMap());
		}
		return body;
	}

	/** Equal for any spelling of the names: one token serves them all. */
	@Override
	public boolean equals(Object other) {
		return other instanceof TokenScope scope && this.identity.equals(scope.identity);
	}

	@Override
	public int hashCode() {
		return this.identity.hashCode();
	}

	/** What logs and errors call it: {@code packit/ogr [contents:read]}. */
	@Override
	public String toString() {
		String what = switch (this.kind) {
			case REPOSITORY -> this.owner + "/" + this.repositories.get(0);
			case INSTALLATION -> this.owner + "/" + this.repositories.get(0) + " (installation)";
			case OWNER -> this.repositories.isEmpty() ? this.owner + " (owner)"
					: this.owner + " (" + String.join(", ", this.repositories) + ")";
		};
		String scoped = this.permissions.isEmpty() ? what : what + " [" + this.permissions.text() + "]";
		return this.app.isEmpty() ? scoped : scoped + " (App " + this.app + ")";
	}

	/** The kinds of token. */
	public enum Kind {

		/**
		 * For one repository, as asked for by {@code GET /api/{namespace}/{repository}}.
		 */
		REPOSITORY,

		/**
		 * For every repository of the installation that covers the one asked for:
		 * {@code TOKMAN_TOKEN_SCOPE=installation}.
		 */
		INSTALLATION,

		/** For an owner's installation, as asked for by {@code GET /api/{owner}}. */
		OWNER

	}

}
