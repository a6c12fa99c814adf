package io.tokman.github;

import java.util.regex.Pattern;

/**
 * A GitHub repository's {@code owner/name}, validated against GitHub's naming rules so
 * that nothing else has to.
 *
 * @param namespace the owner, a user or an organization, as the caller spelled it
 * @param repository the repository's name, as the caller spelled it
 */
public record RepositoryName(String namespace, String repository) {

	/** 1 to 39 letters, digits or hyphens, not starting or ending with a hyphen. */
	private static final Pattern OWNER = Pattern.compile("(?=.{1,39}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

	public RepositoryName {
		checkOwner(namespace);
		if (repository == null || !NAME.matcher(repository).matches() || repository.chars().allMatch((c) -> c == '.')) {
			throw new InvalidRepositoryNameException(
					"Invalid repository: use 1 to 100 letters, digits, '.', '-' or '_', not only dots");
		}
	}

	/**
	 * Throws {@link InvalidRepositoryNameException} unless GitHub could have the owner.
	 */
	public static void checkOwner(String owner) {
		if (owner == null || !OWNER.matcher(owner).matches()) {
			throw new InvalidRepositoryNameException(
					"Invalid namespace: use 1 to 39 letters, digits or hyphens, not starting or ending with one");
		}
	}

	@Override
	public String toString() {
		return this.namespace + "/" + this.repository;
	}

}
