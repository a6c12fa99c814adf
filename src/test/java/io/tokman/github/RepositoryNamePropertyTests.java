package io.tokman.github;

import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RepositoryName} checks names a character at a time; these properties hold it to
 * GitHub's rules as regular expressions write them, for names near and across each rule's
 * edge.
 */
class RepositoryNamePropertyTests {

	/** 1 to 39 letters, digits or hyphens, not starting or ending with a hyphen. */
	private static final Pattern OWNER = Pattern.compile("(?=.{1,39}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");

	/** 1 to 100 letters, digits, '.', '-' or '_'... */
	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

	/** ...not only dots. */
	private static final Pattern DOTS = Pattern.compile("\\.+");

	@Property(tries = 3000)
	void ownersAreAcceptedAsGitHubsRuleSays(@ForAll("names") String owner) {
		assertThat(accepted(owner, "ogr")).as(owner).isEqualTo(OWNER.matcher(owner).matches());
	}

	@Property(tries = 3000)
	void repositoriesAreAcceptedAsGitHubsRuleSays(@ForAll("names") String repository) {
		assertThat(accepted("packit", repository)).as(repository)
			.isEqualTo(NAME.matcher(repository).matches() && !DOTS.matcher(repository).matches());
	}

	/**
	 * Mostly the characters the rules name, with some that no rule allows (a slash, a
	 * space, a line end, a letter beyond ASCII, a full-width digit), 0 to 110 of them.
	 */
	@Provide
	Arbitrary<String> names() {
		Arbitrary<Character> allowed = Arbitraries.chars().with("aZ09-._".toCharArray()).range('a', 'c');
		Arbitrary<Character> other = Arbitraries.chars().with('/', ' ', '\n', '\u00e9', '\uff11', '%', '\u0000');
		return Arbitraries.frequencyOf(Tuple.of(20, allowed), Tuple.of(1, other))
			.list()
			.ofMinSize(0)
			.ofMaxSize(110)
			.map((chars) -> {
				StringBuilder name = new StringBuilder();
				chars.forEach(name::append);
				return name.toString();
			})
			.edgeCases((edges) -> edges.add("-").add(".").add("a".repeat(39)).add("a".repeat(40)).add("r".repeat(100)));
	}

	private static boolean accepted(String namespace, String repository) {
		try {
			new RepositoryName(namespace, repository);
			return true;
		}
		catch (InvalidRepositoryNameException ex) {
			return false;
		}
	}

}
