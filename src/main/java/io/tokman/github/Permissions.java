package io.tokman.github;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A set of GitHub App permissions with their levels ({@code contents:read}), normalised:
 * names sorted, each once, so that equal sets are equal and share one token. Empty means
 * "whatever the installation has", which is what GitHub mints without a
 * {@code permissions} field.
 */
public final class Permissions {

	/** Asks for nothing narrower than the installation's own permissions. */
	public static final Permissions INSTALLATION = new Permissions(new TreeMap<>());

	private static final Set<String> READ_WRITE = Set.of("read", "write");

	/**
	 * GitHub's permission names for installation tokens and the levels each takes (REST
	 * API 2022-11-28, {@code app-permissions}). A name GitHub adds later is refused until
	 * it is listed here: tokman never forwards an unknown name to GitHub.
	 */
	private static final Map<String, Set<String>> KNOWN = known();

	private final SortedMap<String, String> levels;

	/** {@link #text()}, made once: it is part of every request's cache key. */
	private final String text;

	private Permissions(SortedMap<String, String> levels) {
		this.levels = Collections.unmodifiableSortedMap(levels);
		this.text = levels.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + ":" + entry.getValue())
			.collect(Collectors.joining(","));
	}

	/**
	 * Reads a caller's {@code name:level,name:level}; blank is {@link #INSTALLATION}.
	 * Throws {@link InvalidPermissionsException} for a name or level GitHub does not
	 * have, or a name asked at two levels.
	 */
	public static Permissions parse(String text) {
		if (text == null || text.isBlank()) {
			return INSTALLATION;
		}
		if (text.length() > 2000) {
			throw new InvalidPermissionsException("Invalid permissions: too long");
		}
		SortedMap<String, String> levels = new TreeMap<>();
		for (String entry : text.split(",", -1)) {
			String[] parts = entry.trim().split(":", -1);
			if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
				throw new InvalidPermissionsException(
						"Invalid permissions: write them as name:level, comma-separated (contents:read,issues:write)");
			}
			String name = parts[0].trim().toLowerCase(Locale.ROOT);
			String level = parts[1].trim().toLowerCase(Locale.ROOT);
			Set<String> allowed = KNOWN.get(name);
			if (allowed == null) {
				throw new InvalidPermissionsException(
						"Invalid permissions: '" + printable(name) + "' is not a GitHub App permission");
			}
			if (!allowed.contains(level)) {
				throw new InvalidPermissionsException("Invalid permissions: " + name + " takes "
						+ allowed.stream().sorted().collect(Collectors.joining(" or ")) + ", not '" + printable(level)
						+ "'");
			}
			String before = levels.put(name, level);
			if (before != null && !before.equals(level)) {
				throw new InvalidPermissionsException(
						"Invalid permissions: " + name + " asked for as both " + before + " and " + level);
			}
		}
		return new Permissions(levels);
	}

	/**
	 * Permissions as GitHub granted or tokman stored them, taken as they are: a name
	 * GitHub added since is kept, not refused.
	 */
	public static Permissions granted(Map<String, String> levels) {
		return (levels == null || levels.isEmpty()) ? INSTALLATION : new Permissions(new TreeMap<>(levels));
	}

	/** The stored form of {@link #text()}, read back without checking names. */
	public static Permissions stored(String text) {
		if (text == null || text.isEmpty()) {
			return INSTALLATION;
		}
		SortedMap<String, String> levels = new TreeMap<>();
		for (String entry : text.split(",")) {
			int colon = entry.indexOf(':');
			levels.put(entry.substring(0, colon), entry.substring(colon + 1));
		}
		return new Permissions(levels);
	}

	public boolean isEmpty() {
		return this.levels.isEmpty();
	}

	/** Name to level, sorted by name. */
	public Map<String, String> asMap() {
		return this.levels;
	}

	/**
	 * Whether every permission asked for is in {@code ceiling} at the same or a higher
	 * level (read, then write, then admin). Asking for the installation's own permissions
	 * is within no ceiling but itself.
	 */
	public boolean within(Permissions ceiling) {
		if (this.levels.isEmpty()) {
			return ceiling.levels.isEmpty();
		}
		if (ceiling.levels.isEmpty()) {
			return true;
		}
		return this.levels.entrySet().stream().allMatch((asked) -> {
			String allowed = ceiling.levels.get(asked.getKey());
			return allowed != null && rank(allowed) >= rank(asked.getValue());
		});
	}

	/** The normalised text, {@code contents:read,issues:write}; empty for none. */
	public String text() {
		return this.text;
	}

	private static int rank(String level) {
		return switch (level) {
			case "read" -> 1;
			case "write" -> 2;
			case "admin" -> 3;
			default -> 0;
		};
	}

	/**
	 * A name or level echoed in an error, cut short and stripped of control characters.
	 */
	private static String printable(String text) {
		String cut = (text.length() > 60) ? text.substring(0, 60) + "..." : text;
		return cut.replaceAll("[^\\x20-\\x7e]", "?");
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Permissions permissions && this.levels.equals(permissions.levels);
	}

	@Override
	public int hashCode() {
		return this.levels.hashCode();
	}

	@Override
	public String toString() {
		return isEmpty() ? "installation's permissions" : text();
	}

	private static Map<String, Set<String>> known() {
		Map<String, Set<String>> known = new TreeMap<>();
		for (String name : new String[] { "actions", "administration", "attestations", "checks", "codespaces",
				"contents", "custom_properties_for_organizations", "dependabot_secrets", "deployments", "discussions",
				"email_addresses", "environments", "followers", "git_ssh_keys", "gpg_keys", "interaction_limits",
				"issues", "members", "merge_queues", "metadata", "organization_administration",
				"organization_announcement_banners", "organization_custom_org_roles", "organization_custom_roles",
				"organization_hooks", "organization_packages", "organization_personal_access_token_requests",
				"organization_personal_access_tokens", "organization_secrets", "organization_self_hosted_runners",
				"organization_user_blocking", "packages", "pages", "pull_requests", "repository_custom_properties",
				"repository_hooks", "secret_scanning_alerts", "secrets", "security_events", "single_file", "starring",
				"statuses", "team_discussions", "vulnerability_alerts" }) {
			known.put(name, READ_WRITE);
		}
		for (String name : new String[] { "organization_projects", "repository_projects",
				"organization_custom_properties" }) {
			known.put(name, Set.of("read", "write", "admin"));
		}
		for (String name : new String[] { "workflows", "profile", "organization_copilot_seat_management" }) {
			known.put(name, Set.of("write"));
		}
		for (String name : new String[] { "organization_plan", "organization_events" }) {
			known.put(name, Set.of("read"));
		}
		return Map.copyOf(known);
	}

}
