package io.tokman.github;

/**
 * A GitHub repository's {@code owner/name}, validated against GitHub's naming rules so
 * that nothing else has to.
 *
 * @param namespace the owner, a user or an organization, as the caller spelled it
 * @param repository the repository's name, as the caller spelled it
 */
public record RepositoryName(String namespace, String repository) {

	/** GitHub's longest owner name. */
	private static final int OWNER_LENGTH = 39;

	/** GitHub's longest repository name. */
	private static final int NAME_LENGTH = 100;

	/**
	 * Checked a character at a time, not with a regular expression: every request names a
	 * repository, and a matcher cost a cache hit more than its token lookup.
	 */
	public RepositoryName {
		checkOwner(namespace);
		if (!isName(repository)) {
			throw new InvalidRepositoryNameException(
					"Invalid repository: use 1 to 100 letters, digits, '.', '-' or '_', not only dots");
		}
	}

	/**
	 * Throws {@link InvalidRepositoryNameException} unless GitHub could have the owner: 1
	 * to 39 letters, digits or hyphens, not starting or ending with a hyphen.
	 */
	public static void checkOwner(String owner) {
		if (!isOwner(owner)) {
			throw new InvalidRepositoryNameException(
					"Invalid namespace: use 1 to 39 letters, digits or hyphens, not starting or ending with one");
		}
	}

	private static boolean isOwner(String owner) {
		if (owner == null || owner.isEmpty() || owner.length() > OWNER_LENGTH || owner.charAt(0) == '-'
				|| owner.charAt(owner.length() - 1) == '-') {
			return false;
		}
		for (int i = 0; i < owner.length(); i++) {
			char c = owner.charAt(i);
			if (!isLetterOrDigit(c) && c != '-') {
				return false;
			}
		}
		return true;
	}

	/** 1 to 100 letters, digits, '.', '-' or '_', not only dots. */
	private static boolean isName(String name) {
		if (name == null || name.isEmpty() || name.length() > NAME_LENGTH) {
			return false;
		}
		boolean onlyDots = true;
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (!isLetterOrDigit(c) && c != '.' && c != '-' && c != '_') {
				return false;
			}
			onlyDots &= (c == '.');
		}
		return !onlyDots;
	}

	/** ASCII only, as GitHub's names are. */
	private static boolean isLetterOrDigit(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}

	@Override
	public String toString() {
		return this.namespace + "/" + this.repository;
	}

}
